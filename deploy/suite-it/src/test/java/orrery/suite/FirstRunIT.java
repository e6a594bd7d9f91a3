package orrery.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import orrery.testsupport.Jupyter;
import orrery.testsupport.Processes;
import org.junit.jupiter.api.Test;

/**
 * The first run anywhere, as the README's first command: {@code deploy/local/first-run-check.sh
 * --reuse-build} clones this checkout into a folder only its owner may enter (0700), gives the
 * clone the services built here, runs up.sh there (NATS, PostgreSQL in a folder the postgres user
 * owns, five services), books the demo as a script and as a notebook with demo.sh, and stops it
 * all with down.sh. On free ports, beside the other end-to-end tests.
 */
class FirstRunIT {

    @Test
    void upAndBothDemosWorkFromACheckoutOnlyItsOwnerMayEnter() throws Exception {
        Jupyter.assumeInstalled(); // demo.sh --notebook executes a notebook
        Path root = Path.of(System.getProperty("orrery.root", "../..")).toAbsolutePath().normalize();
        Path output = Files.createTempFile("orrery-first-run-", ".log");
        ProcessBuilder check = new ProcessBuilder(root.resolve("deploy/local/first-run-check.sh").toString(), "--reuse-build")
                .redirectErrorStream(true).redirectOutput(output.toFile());
        check.environment().put("ORRERY_NATS_PORT", Integer.toString(Processes.freePort()));
        check.environment().put("ORRERY_NATS_MONITOR_PORT", Integer.toString(Processes.freePort()));
        check.environment().put("ORRERY_PG_PORT", Integer.toString(Processes.freePort()));
        check.environment().put("ORRERY_HTTP_PORT_BASE", Integer.toString(Processes.freePortRun(5)));

        Process run = check.start();
        boolean ended = run.waitFor(8, TimeUnit.MINUTES);
        if (!ended) {
            run.destroy(); // its trap stops the suite it started
            run.waitFor(1, TimeUnit.MINUTES);
        }
        String printed = Files.readString(output);
        System.out.println(printed);

        assertThat(ended).as("first-run-check.sh ended within 8 minutes").isTrue();
        assertThat(run.exitValue()).as("first-run-check.sh's exit status; it printed:%n%s", printed).isZero();
        assertThat(printed).contains("(700)").contains("deploy/local/demo.sh --notebook").contains("mean flux 1.0197")
                .contains("first run: up.sh, demo.sh and demo.sh --notebook all worked from a 0700 folder");
        Files.delete(output);
    }
}
