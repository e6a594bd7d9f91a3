package orrery.deps.backend.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import orrery.deps.config.ShellBuilderConfig;

/**
 * The shell builder's fence, without Quarkus: commands get only the environment they are given and
 * find programs on that PATH only; a rules file inside a root is refused unless allowed.
 */
class ShellFenceTest {

    /** Set in the service's (this test JVM's) environment by the module's pom. */
    static final String SECRET_VARIABLE = "ORRERY_TEST_SECRET";

    @TempDir
    Path dir;

    @Test
    void aCommandSeesOnlyTheEnvironmentItIsGivenNothingOfTheServices() throws IOException {
        String secret = System.getenv(SECRET_VARIABLE);
        assertThat(secret).as(SECRET_VARIABLE + " in this JVM's environment (set by dependency-manager/pom.xml)").isNotBlank();

        CommandRunner.Run run = CommandRunner.run(List.of("env"), dir,
                Map.of("PATH", "/usr/bin:/bin", "HOME", dir.toString(), "LANG", "C"), Duration.ofSeconds(30), 65536);

        assertThat(run.failure()).isNull();
        assertThat(run.log().lines().sorted()).containsExactly("HOME=" + dir, "LANG=C", "PATH=/usr/bin:/bin");
        assertThat(run.log()).doesNotContain(secret).doesNotContain(SECRET_VARIABLE);
    }

    @Test
    void programsAreFoundOnTheCommandsPathNeverInTheWorkingFolder() throws IOException {
        Path tool = dir.resolve("tool");
        Files.writeString(tool, "#!/bin/sh\necho planted\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));

        for (String path : List.of("", ".", "bin:.", ":")) {
            CommandRunner.Run run = CommandRunner.run(List.of("tool"), dir, Map.of("PATH", path), Duration.ofSeconds(30),
                    65536);
            assertThat(run.exitCode()).as("PATH '" + path + "'").isEqualTo(-1);
            assertThat(run.failure()).contains("cannot start tool: not found on PATH");
        }
        CommandRunner.Run found = CommandRunner.run(List.of("tool"), dir, Map.of("PATH", "/nowhere:" + dir),
                Duration.ofSeconds(30), 65536);
        assertThat(found.exitCode()).isZero();
        assertThat(found.log()).isEqualTo("planted\n");
    }

    @Test
    void aRulesFileOutsideEveryRootIsRead() throws IOException {
        Path root = Files.createDirectories(dir.resolve("projects"));
        Path rules = Files.writeString(dir.resolve("rules.txt"), "%.b: %.a -> cp $< $@\n");

        assertThat(new ShellRules(config(rules, "projects=" + root, false)).rules()).hasSize(1);
    }

    @Test
    void aRulesFileInsideARootIsRefusedWithTheReasonAndWhatToDo() throws IOException {
        Path root = Files.createDirectories(dir.resolve("projects"));
        Path rules = Files.writeString(Files.createDirectories(root.resolve("sub")).resolve("rules.txt"), "%.b: %.a -> cp $< $@\n");

        assertThatThrownBy(() -> new ShellRules(config(rules, "other=" + dir.resolve("elsewhere") + ",projects=" + root,
                false)).rules())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("rules file " + rules)
                .hasMessageContaining("inside root 'projects' (" + root + ")")
                .hasMessageContaining("could add rules, that is run commands")
                .hasMessageContaining("ORRERY_SHELL_BUILDER_RULES_FILE")
                .hasMessageContaining("ORRERY_SHELL_BUILDER_ALLOW_RULES_IN_ROOT=true");
    }

    @Test
    void symbolicLinksDoNotHideThatTheRulesFileIsInsideARoot() throws IOException {
        Path root = Files.createDirectories(dir.resolve("projects"));
        Path inside = Files.writeString(root.resolve("rules.txt"), "%.b: %.a -> cp $< $@\n");
        // A link outside the root to a file inside it: the file can still be rewritten by whoever writes the root.
        Path linkOut = Files.createSymbolicLink(dir.resolve("rules-link.txt"), inside);
        assertThatThrownBy(() -> new ShellRules(config(linkOut, "projects=" + root, false)).rules())
                .hasMessageContaining("inside root 'projects'");
        // The root named through a link, the file through the real folder.
        Path rootLink = Files.createSymbolicLink(dir.resolve("projects-link"), root);
        assertThatThrownBy(() -> new ShellRules(config(inside, "projects=" + rootLink, false)).rules())
                .hasMessageContaining("inside root 'projects'");
        // A link inside the root to a file outside: whoever writes the root can point the link elsewhere.
        Path outside = Files.writeString(dir.resolve("real-rules.txt"), "%.b: %.a -> cp $< $@\n");
        Path linkIn = Files.createSymbolicLink(root.resolve("rules-here.txt"), outside);
        assertThatThrownBy(() -> new ShellRules(config(linkIn, "projects=" + root, false)).rules())
                .hasMessageContaining("inside root 'projects'");
    }

    @Test
    void aRulesFileInsideARootIsReadWhenExplicitlyAllowed() throws IOException {
        Path root = Files.createDirectories(dir.resolve("projects"));
        Path rules = Files.writeString(root.resolve("rules.txt"), "%.b: %.a -> cp $< $@\n%.c: %.b -> cp $< $@\n");

        assertThat(new ShellRules(config(rules, "projects=" + root, true)).rules()).hasSize(2);
    }

    @Test
    void aMissingRulesFileSaysWhereItWasLookedFor() {
        Path missing = dir.resolve("shell-builder/rules.txt");
        assertThatThrownBy(() -> new ShellRules(config(missing, "projects=" + dir.resolve("projects"), false)).rules())
                .hasMessageContaining("cannot read the shell builder's rules file " + missing)
                .hasMessageContaining("outside every watched root");
    }

    private static ShellBuilderConfig config(Path rules, String roots, boolean allowRulesInRoot) {
        return new ShellBuilderConfig() {
            public boolean enabled() {
                return true;
            }

            public String name() {
                return "shell";
            }

            public Optional<Path> rulesFile() {
                return Optional.of(rules);
            }

            public boolean allowRulesInRoot() {
                return allowRulesInRoot;
            }

            public Optional<String> roots() {
                return Optional.of(roots);
            }

            public Duration timeout() {
                return Duration.ofMinutes(1);
            }

            public int logLimit() {
                return 65536;
            }

            public String path() {
                return "/usr/bin:/bin";
            }

            public Optional<Path> home() {
                return Optional.empty();
            }

            public String lang() {
                return "C.UTF-8";
            }
        };
    }

    @Test
    void standardOutputToTheTargetIsWrittenAtomicallyAndOnlyOnSuccess() throws IOException {
        Map<String, String> env = Map.of("PATH", "/usr/bin:/bin");
        Path target = dir.resolve("notes.lines");
        Files.writeString(dir.resolve("notes.txt"), "one\ntwo\n");

        CommandRunner.Run ok = CommandRunner.run(List.of("wc", "-l", "notes.txt"), dir, env, Duration.ofSeconds(30),
                65536, target);
        assertThat(ok.failure()).isNull();
        assertThat(Files.readString(target)).isEqualTo("2 notes.txt\n");
        assertThat(ok.log()).as("the log is standard error only").isEmpty();
        assertThat(Files.getPosixFilePermissions(target)).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ);

        // A command that prints half its output and then fails leaves the old target, and no temporary file.
        CommandRunner.Run failed = CommandRunner.run(List.of("bash", "-c", "echo half; echo oops >&2; exit 3"), dir, env,
                Duration.ofSeconds(30), 65536, target);
        assertThat(failed.failure()).isEqualTo("bash exited with status 3");
        assertThat(failed.log()).isEqualTo("oops\n");
        assertThat(Files.readString(target)).isEqualTo("2 notes.txt\n");
        // And one that runs out of time too.
        CommandRunner.Run slow = CommandRunner.run(List.of("bash", "-c", "echo partial; exec sleep 30"), dir, env,
                Duration.ofMillis(300), 65536, target);
        assertThat(slow.failure()).startsWith("timed out");
        assertThat(Files.readString(target)).isEqualTo("2 notes.txt\n");
        // A command that cannot start leaves nothing either.
        Path never = dir.resolve("never.out");
        CommandRunner.Run missing = CommandRunner.run(List.of("no-such-tool-here"), dir, env, Duration.ofSeconds(30),
                65536, never);
        assertThat(missing.failure()).contains("not found on PATH");
        assertThat(never).doesNotExist();
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("notes.txt", "notes.lines");
        }
    }

    @Test
    void standardOutputReplacesASymbolicLinkAtTheTargetNeverWritesThroughIt() throws IOException {
        Path outside = Files.createTempFile("orrery-outside-", ".txt");
        try {
            Files.writeString(outside, "not yours\n");
            Path target = Files.createSymbolicLink(dir.resolve("planted.lines"), outside);

            CommandRunner.Run run = CommandRunner.run(List.of("echo", "built"), dir, Map.of("PATH", "/usr/bin:/bin"),
                    Duration.ofSeconds(30), 65536, target);

            assertThat(run.failure()).isNull();
            assertThat(Files.isSymbolicLink(target)).isFalse();
            assertThat(Files.readString(target)).isEqualTo("built\n");
            assertThat(Files.readString(outside)).isEqualTo("not yours\n");
        } finally {
            Files.deleteIfExists(outside);
        }
    }
}
