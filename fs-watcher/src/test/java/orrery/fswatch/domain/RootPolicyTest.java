package orrery.fswatch.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import orrery.model.problem.ProblemException;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootPolicyTest {

    private static final Duration QUIET = Duration.ofMillis(300);
    private static final Duration MAX = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private RootPolicy policy() throws Exception {
        return new RootPolicy(List.of(Files.createDirectories(dir.resolve("allowed"))));
    }

    @Test
    void acceptsAFolderInsideAnAllowedBase() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("allowed/project"));

        RootSpec spec = policy().check("project", folder.toString(), List.of(), List.of(), List.of("*.log"), QUIET, MAX);

        assertThat(spec.path()).isEqualTo(folder.toRealPath());
        assertThat(spec.logs()).containsExactly("*.log");
    }

    @Test
    void refusesFoldersOutsideTheBasesAlsoThroughLinksAndDotDot() throws Exception {
        RootPolicy policy = policy();
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path link = Files.createSymbolicLink(dir.resolve("allowed/link"), outside);

        refused(policy, outside.toString(), 403, "path-not-allowed").hasMessageContaining("allowed base folders");
        refused(policy, link.toString(), 403, "path-not-allowed").hasMessageContaining("resolves to");
        refused(policy, dir.resolve("allowed/../outside").toString(), 403, "path-not-allowed");
    }

    @Test
    void refusesRelativeMissingAndNonFolderPaths() throws Exception {
        RootPolicy policy = policy();
        Path file = Files.writeString(dir.resolve("allowed/file.txt"), "x");

        refused(policy, "relative/path", 400, "invalid-field").hasMessageContaining("must be absolute");
        refused(policy, dir.resolve("allowed/missing").toString(), 400, "invalid-field").hasMessageContaining("does not exist");
        refused(policy, file.toString(), 400, "invalid-field").hasMessageContaining("is not a folder");
        refused(policy, "", 400, "invalid-field").hasMessageContaining("path is required");
    }

    @Test
    void refusesNamesThatAreNotSubjectTokens() {
        for (String name : List.of("a.b", "*", ">", "with space", "")) {
            assertThatThrownBy(() -> RootPolicy.checkName(name))
                    .isInstanceOfSatisfying(ProblemException.class, e -> {
                        assertThat(e.problem().status()).isEqualTo(400);
                        assertThat(e.problem().slug()).isEqualTo("invalid-root-name");
                    });
        }
    }

    @Test
    void refusesBadTimingAndBadGlobs() throws Exception {
        RootPolicy policy = policy();
        String folder = Files.createDirectories(dir.resolve("allowed/p")).toString();

        assertThatThrownBy(() -> policy.check("p", folder, List.of(), List.of(), List.of(), MAX, QUIET))
                .hasMessageContaining("maxLatency must lie between");
        assertThatThrownBy(() -> policy.check("p", folder, List.of(), List.of(), List.of(), QUIET.negated(), MAX))
                .hasMessageContaining("quietPeriod must lie between");
        assertThatThrownBy(() -> policy.check("p", folder, List.of("[z-a]"), List.of(), List.of(), QUIET, MAX))
                .hasMessageContaining("include has a glob that cannot be used");
    }

    @Test
    void withNoBasesNothingIsAllowed() throws Exception {
        RootPolicy none = new RootPolicy(List.of());
        assertThatThrownBy(() -> none.check("p", dir.toString(), List.of(), List.of(), List.of(), QUIET, MAX))
                .hasMessageContaining("set orrery.fswatch.allowed-bases");
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> refused(RootPolicy policy, String path, int status,
                                                                           String slug) {
        return assertThatThrownBy(() -> policy.check("p", path, List.of(), List.of(), List.of(), QUIET, MAX))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.problem().status()).isEqualTo(status);
                    assertThat(e.problem().slug()).isEqualTo(slug);
                });
    }
}
