package orrery.staging.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import orrery.model.problem.ProblemException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SourcePolicyTest {

    @TempDir
    Path tmp;

    private SourcePolicy policy(Path... roots) {
        return new SourcePolicy(Set.of("data.example.org", ".canfar.net", "169.254.169.254", "10.1.2.3", "::127.0.0.1", "::ffff:10.1.2.3",
                "64:ff9b::a01:203", "2130706433", "127.1", "0x7f.0.0.1", "127.0.0.1", "::1"), AddressPolicy.publicOnly(), List.of(roots),
                Set.of("cadc.nrc.ca~vault"));
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
    @CsvSource(delimiter = '|', value = {
        "http://169.254.169.254/latest/meta-data/|metadata",
        "http://10.1.2.3/x|private",
        "http://127.0.0.1:8080/x|loopback",
        "http://[::1]/x|loopback",
        "http://[::127.0.0.1]/x|IPv4-compatible",
        "http://[::ffff:10.1.2.3]/x|private",
        "http://[64:ff9b::a01:203]/x|NAT64",
        "http://2130706433/x|four decimal numbers",
        "http://127.1/x|four decimal numbers",
        "http://0x7f.0.0.1/x|four decimal numbers"})
    void refusesHostsWrittenAsRefusedAddressesWithoutALookUp(String url, String why) {
        assertThatThrownBy(() -> policy().check(url))
                .satisfies(e -> assertThat(((ProblemException) e).problem().slug()).isEqualTo("disallowed-source"))
                .hasMessageContaining(why);
    }

    @Test
    void resolvesANameOnceAndRefusesItWhenAnyAddressIsRefused() throws Exception {
        AtomicInteger lookUps = new AtomicInteger();
        HostResolver mixed = host -> {
            lookUps.incrementAndGet();
            return new InetAddress[] {InetAddress.getByName("93.184.216.34"), InetAddress.getByName("10.0.0.7")};
        };

        assertThatThrownBy(() -> policy().resolve("data.example.org", mixed))
                .hasMessageContaining("10.0.0.7").hasMessageContaining("private");
        assertThat(lookUps).hasValue(1);
    }

    @Test
    void resolvesPublicNamesAndLiteralsWithoutAskingForLiterals() throws Exception {
        HostResolver publicOnly = host -> new InetAddress[] {InetAddress.getByName("93.184.216.34")};
        HostResolver never = host -> {
            throw new AssertionError("a literal address must not be looked up");
        };

        assertThat(policy().resolve("data.example.org", publicOnly)).extracting(InetAddress::getHostAddress)
                .containsExactly("93.184.216.34");
        assertThat(policy().resolve("8.8.8.8", never)).extracting(InetAddress::getHostAddress).containsExactly("8.8.8.8");
        assertThatThrownBy(() -> policy().resolve("[::ffff:127.0.0.1]", never)).hasMessageContaining("loopback");
    }

    @Test
    void loopbackCanBeAllowedWithoutAllowingPrivateOrMetadataAddresses() throws Exception {
        SourcePolicy local = new SourcePolicy(Set.of("*"), new AddressPolicy(true, false, false), List.of(), Set.of());

        assertThat(local.check("http://127.0.0.1:8000/x").host()).isEqualTo("127.0.0.1");
        assertThat(local.resolve("localhost", host -> new InetAddress[] {InetAddress.getLoopbackAddress()})).hasSize(1);
        assertThatThrownBy(() -> local.check("http://169.254.169.254/")).hasMessageContaining("metadata");
        assertThatThrownBy(() -> local.check("http://192.168.1.1/")).hasMessageContaining("private");
        assertThatThrownBy(() -> local.check("http://[fe80::1]/")).hasMessageContaining("link-local");
        assertThatThrownBy(() -> local.check("http://[::127.0.0.1]/")).hasMessageContaining("IPv4-compatible");
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

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "vos://cadc.nrc.ca~vault/alice/./data//x.fits|/alice/data/x.fits",
        "vos://cadc.nrc.ca~vault/alice/tmp/../x.fits|/alice/x.fits",
        "vos://cadc.nrc.ca~vault/alice/%2e%2e/bob/x.fits|/bob/x.fits"})
    void normalisesVosPathsBeforeUsingThem(String url, String path) {
        assertThat(policy().check(url).uri().getPath()).isEqualTo(path);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "vos://cadc.nrc.ca~vault/../etc/x|climbs above the root",
        "vos://cadc.nrc.ca~vault/alice/../../x|climbs above the root",
        "vos://cadc.nrc.ca~vault/%2e%2e/x|climbs above the root",
        "vos://cadc.nrc.ca~vault/alice/..|names the root",
        "vos://cadc.nrc.ca~vault/|no node path",
        "vos://cadc.nrc.ca~vault/alice/x?view=data|query"})
    void refusesVosPathsThatEscapeOrNameNothing(String url, String why) {
        assertThatThrownBy(() -> policy().check(url)).hasMessageContaining(why);
    }
}
