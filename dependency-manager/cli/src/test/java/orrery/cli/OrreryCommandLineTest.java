package orrery.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The command line itself; the commands against a running dependency manager are tested in its module. */
class OrreryCommandLineTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Orrery.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void helpListsTheCommandsAndTheExitCodes() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("build", "status", "graph", "Exit codes:", "4   no such target or build");
    }

    @Test
    void aMissingTargetIsAUsageError() {
        assertThat(run("build")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("Missing required parameter: '<target>'");
    }

    @Test
    void twoGraphFormatsAtOnceAreAUsageError() {
        assertThat(run("graph", "--dot", "--mermaid")).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void anUnreachableManagerExitsWithFiveAndSaysWhere() {
        assertThat(run("--url", "http://127.0.0.1:9", "status")).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(err.toString()).contains("cannot reach the dependency manager at http://127.0.0.1:9/");
    }

    @Test
    void pathsAreEncodedSegmentBySegment() {
        assertThat(DepsClient.encodePath("papers/my paper.pdf")).isEqualTo("papers/my%20paper.pdf");
    }
}
