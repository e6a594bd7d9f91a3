package orrery.staging.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SourcePolicyTest {

    @TempDir
    Path tmp;

    private SourcePolicy policy(Path... roots) {
        return new SourcePolicy(Set.of("data.example.org", ".canfar.net"), false, List.of(roots), Set.of("cadc.nrc.ca~vault"));
    }

    @Test
    void acceptsAllowedHostsAndDomains() {
        assertThat(policy().check("https://data.example.org/x.fits").host()).isEqualTo("data.example.org");
        assertThat(policy().check("https://ws-uv.canfar.net/x").host()).isEqualTo("ws-uv.canfar.net");
        assertThat(policy().check("https://canfar.net/x").scheme()).isEqualTo(SourcePolicy.Scheme.HTTP);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://evil.example.com/x", "https://example.org.evil.com/x", "http://notcanfar.net/x"})
    void refusesHostsOffTheList(String url) {
        assertThatThrownBy(() -> policy().check(url)).hasMessageContaining("not on the staging allow-list");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://data.example.org/x", "gopher://x", "javascript:alert(1)", "data.example.org/x"})
    void refusesOtherSchemes(String url) {
        assertThatThrownBy(() -> policy().check(url)).hasMessageContaining("not supported");
    }

    @Test
    void refusesCredentialsInUrls() {
        assertThatThrownBy(() -> policy().check("https://me:pw@data.example.org/x")).hasMessageContaining("credentials");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "10.1.2.3", "192.168.0.5", "172.16.3.4", "169.254.169.254", "::1", "fd00::1", "0.0.0.0",
        "100.64.0.1"})
    void refusesInternalAddresses(String address) throws Exception {
        InetAddress resolved = InetAddress.getByName(address);
        assertThatThrownBy(() -> policy().checkAddresses("data.example.org", new InetAddress[] {resolved}))
                .hasMessageContaining("loopback, private or link-local");
    }

    @Test
    void acceptsPublicAddressesAndInternalOnesWhenAllowed() throws Exception {
        InetAddress external = InetAddress.getByName("8.8.8.8");
        assertThatCode(() -> policy().checkAddresses("data.example.org", new InetAddress[] {external})).doesNotThrowAnyException();
        SourcePolicy lax = new SourcePolicy(Set.of("*"), true, List.of(), Set.of());
        assertThatCode(() -> lax.checkAddresses("localhost", new InetAddress[] {InetAddress.getLoopbackAddress()}))
                .doesNotThrowAnyException();
    }

    @Test
    void acceptsFilesUnderARoot() throws Exception {
        Path file = Files.writeString(tmp.resolve("in.txt"), "hello");

        SourcePolicy.Source source = policy(tmp).check(file.toUri().toString());

        assertThat(source.file()).isEqualTo(file.toRealPath());
    }

    @Test
    void refusesFilesOutsideTheRootsAlsoThroughSymlinks() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("root"));
        Path outside = Files.writeString(tmp.resolve("secret.txt"), "s");
        Path link = Files.createSymbolicLink(root.resolve("link.txt"), outside);

        assertThatThrownBy(() -> policy(root).check(outside.toUri().toString())).hasMessageContaining("outside the folders");
        assertThatThrownBy(() -> policy(root).check(link.toUri().toString())).hasMessageContaining("outside the folders");
        assertThatThrownBy(() -> policy().check(outside.toUri().toString())).hasMessageContaining("not enabled");
    }

    @Test
    void checksVosAuthorities() {
        assertThat(policy().check("vos://cadc.nrc.ca~vault/alice/x.fits").host()).isEqualTo("cadc.nrc.ca~vault");
        assertThatThrownBy(() -> policy().check("vos://elsewhere~vault/alice/x")).hasMessageContaining("not configured");
    }
}
