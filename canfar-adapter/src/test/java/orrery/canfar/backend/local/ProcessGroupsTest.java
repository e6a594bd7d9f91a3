package orrery.canfar.backend.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProcessGroupsTest {

    private final ProcessGroups groups = new ProcessGroups(HostTools.which("kill", System.getenv("PATH")));

    @Test
    void aProcessThatLeadsNoGroupYetIsStillStopped() throws Exception {
        // Started from this JVM, `sleep` is in the JVM's group, not a group of its own: what a sandbox is
        // between the start the adapter records and its own setsid.
        Process sleeper = new ProcessBuilder("sleep", "600").start();
        try {
            assertThat(ProcessHandle.current().pid()).isNotEqualTo(sleeper.pid());
            groups.terminate(sleeper.pid(), true);
            assertThat(sleeper.waitFor(20, TimeUnit.SECONDS)).as("SIGTERM reached it").isTrue();
            assertThat(sleeper.exitValue()).isEqualTo(143);
        } finally {
            sleeper.destroyForcibly();
        }
    }

    @Test
    void aPidNotSeenAliveAsTheLeaderIsNotSignalledWhenNoGroupAnswers() throws Exception {
        // As for a recycled pid: the recorded leader has ended, another process holds its number.
        Process other = new ProcessBuilder("sleep", "600").start();
        try {
            groups.terminate(other.pid(), false);
            assertThat(other.waitFor(1, TimeUnit.SECONDS)).as("left alone").isFalse();
        } finally {
            other.destroyForcibly();
        }
    }

    @Test
    void withoutAKillProgramTheLeaderAndItsDescendantsAreSignalled() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "600").start();
        try {
            new ProcessGroups(Optional.<Path>empty()).kill(sleeper.pid(), true);
            assertThat(sleeper.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(sleeper.exitValue()).isEqualTo(137);
        } finally {
            sleeper.destroyForcibly();
        }
    }
}
