package orrery.staging.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import orrery.staging.domain.AddressPolicy.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressPolicyTest {

    @ParameterizedTest
    @CsvSource({
        "127.0.0.1, LOOPBACK",
        "127.255.0.9, LOOPBACK",
        "::1, LOOPBACK",
        "::ffff:127.0.0.1, LOOPBACK",
        "10.1.2.3, PRIVATE",
        "172.16.0.1, PRIVATE",
        "172.31.255.255, PRIVATE",
        "192.168.0.5, PRIVATE",
        "100.64.0.1, PRIVATE",
        "100.127.255.254, PRIVATE",
        "fc00::1, PRIVATE",
        "fd12:3456::1, PRIVATE",
        "::ffff:10.0.0.1, PRIVATE",
        "::ffff:192.168.1.1, PRIVATE",
        "2002:c0a8:0101::1, PRIVATE",
        "169.254.1.1, LINK_LOCAL",
        "fe80::1, LINK_LOCAL",
        "febf::1, LINK_LOCAL",
        "169.254.169.254, METADATA",
        "::ffff:169.254.169.254, METADATA",
        "100.100.100.200, METADATA",
        "fd00:ec2::254, METADATA",
        "0.0.0.0, UNSPECIFIED",
        "0.1.2.3, UNSPECIFIED",
        "::, UNSPECIFIED",
        "224.0.0.1, MULTICAST",
        "239.255.255.250, MULTICAST",
        "255.255.255.255, MULTICAST",
        "ff02::1, MULTICAST",
        "240.0.0.1, RESERVED",
        "192.0.2.10, RESERVED",
        "198.18.0.1, RESERVED",
        "2001:db8::1, RESERVED",
        "fec0::1, RESERVED",
        "::127.0.0.1, IPV4_COMPATIBLE",
        "::8.8.8.8, IPV4_COMPATIBLE",
        "::10.0.0.1, IPV4_COMPATIBLE",
        "64:ff9b::7f00:1, NAT64",
        "64:ff9b::808:808, NAT64",
        "64:ff9b:1::a00:1, NAT64"})
    void classifiesAddresses(String address, Kind kind) throws Exception {
        assertThat(AddressPolicy.kindOf(InetAddress.getByName(address))).isEqualTo(kind);
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "93.184.216.34", "172.32.0.1", "100.128.0.1", "169.255.0.1", "2606:4700::1111",
        "::ffff:8.8.8.8", "2002:0808:0808::1"})
    void publicAddressesAreAllowed(String address) throws Exception {
        assertThat(AddressPolicy.kindOf(InetAddress.getByName(address))).isEqualTo(Kind.PUBLIC);
        assertThat(AddressPolicy.publicOnly().refusal(InetAddress.getByName(address))).isEmpty();
    }

    @Test
    void anIpv4MappedAddressBuiltByHandIsJudgedByItsIpv4Address() throws Exception {
        // Java turns "::ffff:a.b.c.d" into an Inet4Address; an Inet6Address with those bytes must be judged the same.
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 10;
        mapped[15] = 1;
        assertThat(AddressPolicy.kindOf(java.net.Inet6Address.getByAddress(null, mapped, -1))).isEqualTo(Kind.PRIVATE);
    }

    @Test
    void eachSwitchAllowsItsOwnKindOnly() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        InetAddress privateOne = InetAddress.getByName("10.0.0.1");
        InetAddress linkLocal = InetAddress.getByName("169.254.3.4");
        InetAddress metadata = InetAddress.getByName("169.254.169.254");
        InetAddress compatible = InetAddress.getByName("::127.0.0.1");

        AddressPolicy local = new AddressPolicy(true, false, false);
        assertThat(local.refusal(loopback)).isEmpty();
        assertThat(local.refusal(privateOne)).get().asString().contains("private").contains("allow-private-addresses");
        assertThat(local.refusal(linkLocal)).get().asString().contains("link-local").contains("allow-link-local");
        assertThat(local.refusal(metadata)).get().asString().contains("metadata");

        AddressPolicy everything = new AddressPolicy(true, true, true);
        assertThat(everything.refusal(privateOne)).isEmpty();
        assertThat(everything.refusal(linkLocal)).isEmpty();
        assertThat(everything.refusal(metadata)).as("metadata endpoints are never allowed").isPresent();
        assertThat(everything.refusal(compatible)).as("IPv4-compatible addresses are never allowed").isPresent();
        assertThat(AddressPolicy.publicOnly().refusal(loopback)).get().asString().contains("allow-loopback");
    }

    @Test
    void readsLiteralsWithoutLookingAnythingUp() {
        assertThat(AddressPolicy.literal("10.0.0.1")).isPresent();
        assertThat(AddressPolicy.literal("[::1]")).isPresent();
        assertThat(AddressPolicy.literal("::ffff:127.0.0.1")).isPresent();
        assertThat(AddressPolicy.literal("data.example.org")).isEmpty();
        assertThat(AddressPolicy.literal("010.0.0.1")).as("a leading zero is ambiguous (octal?)").isEmpty();
        assertThat(AddressPolicy.isAmbiguousNumericHost("010.0.0.1")).isTrue();
        assertThat(AddressPolicy.isAmbiguousNumericHost("3232235777")).isTrue();
        assertThat(AddressPolicy.isAmbiguousNumericHost("1.2.3.4")).isFalse();
        assertThat(AddressPolicy.isAmbiguousNumericHost("1e100.net")).isFalse();
    }
}
