package orrery.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import orrery.sim.cli.ExitCodes;
import orrery.testsupport.Processes;
import org.junit.jupiter.api.Test;

/** The command line: help, bad input (each kind refused with exit code 2 and a reason), and an unreachable NATS. */
class OrrerySimCommandLineTest {

    private record Result(int code, String out, String err) {
    }

    private static Result sim(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = OrrerySim.run(env, new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    private static Result sim(String... args) {
        return sim(Map.of(), args);
    }

    @Test
    void helpNamesTheOptionsAndExitCodes() {
        Result help = sim("run", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("--start", "--expect", "--until", "--leak-after", "--confirm-timeout", "--ignore-consumer",
                "--nats", "--user", "--password", "Exit codes:", "NATS unreachable");
        assertThat(sim("--help").out()).contains("run", "ORRERY_NATS_PASSWORD");
    }

    @Test
    void runWithoutAStartIsAUsageError() {
        Result r = sim("run", "--expect", "a");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("Missing required option: '--start=<instant>'");
    }

    @Test
    void aStartThatIsNoInstantIsAUsageError() {
        Result r = sim("run", "--start", "tomorrow");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--start").contains("tomorrow");
    }

    @Test
    void anUntilBeforeTheStartIsAUsageError() {
        Result r = sim("run", "--start", "2026-03-01T00:00:00Z", "--until", "2026-02-01T00:00:00Z");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--until 2026-02-01T00:00:00Z is before --start 2026-03-01T00:00:00Z");
    }

    @Test
    void nonPositiveDurationsAndBlankNamesAreUsageErrors() {
        assertThat(sim("run", "--start", "2026-03-01T00:00:00Z", "--leak-after", "PT0S").err()).contains("--leak-after must be positive");
        assertThat(sim("run", "--start", "2026-03-01T00:00:00Z", "--confirm-timeout", "-PT1S").err())
                .contains("--confirm-timeout must be positive");
        assertThat(sim("run", "--start", "2026-03-01T00:00:00Z", "--progress", "-PT1S").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(sim("run", "--start", "2026-03-01T00:00:00Z", "--expect", "a,,b").err()).contains("must not be blank");
        assertThat(sim("run", "--start", "2026-03-01T00:00:00Z", "--leak-after", "ten seconds").code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void anUnreachableNatsHasItsOwnExitCode() {
        int port = Processes.freePort();
        Result r = sim(Map.of("ORRERY_NATS_URL", "nats://127.0.0.1:" + port), "run", "--start", "2026-03-01T00:00:00Z");
        assertThat(r.code()).isEqualTo(ExitCodes.NATS_UNREACHABLE);
        assertThat(r.err()).contains("cannot reach NATS at nats://127.0.0.1:" + port);
    }
}
