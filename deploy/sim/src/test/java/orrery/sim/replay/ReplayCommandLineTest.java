package orrery.sim.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import orrery.sim.OrrerySim;
import orrery.sim.cli.ExitCodes;
import org.junit.jupiter.api.Test;

/** {@code orrery-sim replay}'s command line: help, --dry-run, and each kind of bad input refused with exit code 2 and a reason. */
class ReplayCommandLineTest {

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
        Result help = sim("replay", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("--workload", "--generate", "--accept", "--token", "--jwt-key", "--out", "--seed", "--rate",
                "--cancel-rate", "--[no-]isolate", "Exit codes:", "some executions had not ended");
        assertThat(sim("--help").out()).contains("replay");
    }

    @Test
    void aDryRunPrintsTheWorkloadAndTheFirstBody() {
        Result r = sim("replay", "--generate", "--count", "3", "--seed", "5", "--out", "unused", "--dry-run");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("3 requests from generated: 3 requests", "seed 5", "\"executable\"", "\"schedule\"");
        Result swf = sim("replay", "--workload", "src/test/resources/workloads/small.swf", "--out", "unused", "--dry-run");
        assertThat(swf.out()).contains("4 requests from small.swf (SWF)", "skipped {no submit time");
        assertThat(sim("replay", "--workload", "src/test/resources/workloads/small-batsim.json", "--out", "x", "--dry-run").out())
                .contains("4 requests from small-batsim.json (Batsim)");
        assertThat(sim("replay", "--workload", "src/test/resources/workloads/small.swf", "--limit", "2", "--out", "x", "--dry-run").out())
                .startsWith("2 requests from small.swf (SWF), first 2");
    }

    @Test
    void badInputIsAUsageErrorThatSaysWhatWasWrong() {
        expectUsage(sim("replay", "--out", "x"), "Missing required argument");
        expectUsage(sim("replay", "--generate", "--workload", "a.swf", "--out", "x"), "mutually exclusive");
        expectUsage(sim("replay", "--generate"), "Missing required option: '--out=<dir>'");
        expectUsage(sim("replay", "--generate", "--out", "x", "--accept", "best"), "--accept must be first, random or latest");
        expectUsage(sim("replay", "--generate", "--out", "x", "--cores", "lots"), "'lots' is not a range of whole numbers");
        expectUsage(sim("replay", "--generate", "--out", "x", "--fail-rate", "2"), "failure rate is a probability from 0 to 1");
        expectUsage(sim("replay", "--generate", "--out", "x", "--rate", "0"), "--rate");
        expectUsage(sim("replay", "--workload", "nowhere.swf", "--out", "x"), "no workload file nowhere.swf");
        expectUsage(sim("replay", "--workload", "pom.xml", "--out", "x"), "cannot tell the format of pom.xml");
        expectUsage(sim("replay", "--workload", "pom.xml", "--format", "swf", "--out", "x"), "is not in the Standard Workload Format");
        expectUsage(sim("replay", "--workload", "src/test/resources/workloads/small.swf", "--count", "3", "--out", "x"),
                "--count and --span are for --generate");
        expectUsage(sim("replay", "--generate", "--out", "x", "--settle", "PT0S"), "--settle must be positive");
        expectUsage(sim("replay", "--generate", "--out", "x", "--start", "soon"), "--start");
        expectUsage(sim("replay", "--generate", "--out", "x"), "the broker needs a bearer token: --token or ORRERY_TOKEN");
        expectUsage(sim("replay", "--generate", "--out", "x", "--jwt-key", "missing.pem"), "--jwt-key missing.pem is not a readable file");
        expectUsage(sim("replay", "--generate", "--out", "x", "--jwt-key", "pom.xml"), "is not a PKCS#8 private key");
    }

    @Test
    void anUnreachableNatsIsExitCode3() {
        Result r = sim(Map.of("ORRERY_TOKEN", "t"), "replay", "--generate", "--count", "1", "--out", "target/unused-report",
                "--nats", "nats://127.0.0.1:1");
        assertThat(r.code()).isEqualTo(ExitCodes.NATS_UNREACHABLE);
        assertThat(r.err()).contains("cannot reach NATS at nats://127.0.0.1:1");
    }

    private static void expectUsage(Result r, String message) {
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains(message);
    }
}
