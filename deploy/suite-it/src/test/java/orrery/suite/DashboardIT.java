package orrery.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import orrery.testsupport.Processes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard (issue 17): its own logic under node's test runner, and the dashboard as a person
 * uses it, in headless Chromium driven by playwright-core (deploy/e2e/dashboard/browser), against
 * the local suite as a user starts it ({@code deploy/local/up.sh --simulated}, on free ports, in a
 * run folder of its own, with this checkout's built services). The screenshots of each view are
 * kept in target/dashboard-screenshots.
 */
class DashboardIT {

    private static final Path ROOT = Path.of(System.getProperty("orrery.root", "../..")).toAbsolutePath().normalize();
    private static final Path TESTS = ROOT.resolve("deploy/e2e/dashboard");
    private static final Path SCREENSHOTS = Path.of("target/dashboard-screenshots").toAbsolutePath();

    private static Path runDir;
    private static Map<String, String> suite;

    @BeforeAll
    static void installPlaywright() throws Exception {
        if (!Files.isDirectory(TESTS.resolve("node_modules/playwright-core"))) {
            run(List.of("npm", "ci", "--no-audit", "--no-fund"), TESTS, Map.of(), 300);
        }
    }

    @AfterAll
    static void stopSuite() throws Exception {
        if (suite != null) {
            run(List.of(ROOT.resolve("deploy/local/down.sh").toString()), ROOT, suite, 120);
            Processes.deleteTree(runDir);
        }
    }

    @Test
    void theDashboardsOwnLogicPassesItsUnitTests() throws Exception {
        Result unit = run(List.of("node", "--test", "unit/"), TESTS, Map.of(), 120);
        assertThat(unit.exit()).as("node --test unit/ printed:%n%s", unit.output()).isZero();
        assertThat(unit.output()).contains("# fail 0");
    }

    @Test
    void aPersonBooksWatchesRebuildsAndSeesOnlyTheirOwnInChromium() throws Exception {
        runDir = Files.createTempDirectory("orrery-dashboard-");
        int base = Processes.freePortRun(5);
        suite = Map.of("ORRERY_RUN_DIR", runDir.toString(), "ORRERY_SKIP_BUILD", "1",
                "ORRERY_HTTP_PORT_BASE", Integer.toString(base),
                "ORRERY_NATS_PORT", Integer.toString(Processes.freePort()),
                "ORRERY_NATS_MONITOR_PORT", Integer.toString(Processes.freePort()),
                "ORRERY_PG_PORT", Integer.toString(Processes.freePort()));
        Result up = run(List.of(ROOT.resolve("deploy/local/up.sh").toString(), "--simulated"), ROOT, suite, 300);
        assertThat(up.exit()).as("up.sh --simulated printed:%n%s", up.output()).isZero();
        assertThat(up.output()).contains("The dashboard:").contains(":" + base + "/ui/");

        Result browser = run(List.of("node", "--test", "--test-concurrency=1", "browser/"), TESTS, Map.of(
                "ORRERY_UI_URL", "http://127.0.0.1:" + base,
                "ORRERY_UI_PROJECTS", runDir.resolve("projects").toString(),
                "ORRERY_UI_SCREENSHOTS", SCREENSHOTS.toString()), 600);
        assertThat(browser.exit()).as("node --test browser/ printed:%n%s%nthe suite's logs: %s", browser.output(),
                runDir.resolve("logs")).isZero();
        assertThat(browser.output()).contains("# fail 0").doesNotContain("# skipped 1");
        try (var shots = Files.list(SCREENSHOTS)) {
            assertThat(shots.map(p -> p.getFileName().toString())).contains("03-execution-completed.png", "06-build-graph.png");
        }
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command, Path dir, Map<String, String> env, long timeoutSeconds)
            throws IOException, InterruptedException {
        Path output = Files.createTempFile("orrery-dashboard-", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroy();
                process.waitFor(30, TimeUnit.SECONDS);
                return new Result(-1, Files.readString(output) + "\n(timed out after " + timeoutSeconds + " s)");
            }
            String printed = Files.readString(output);
            System.out.println(printed);
            return new Result(process.exitValue(), printed);
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
