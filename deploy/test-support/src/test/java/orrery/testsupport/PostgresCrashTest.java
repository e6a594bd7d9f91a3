package orrery.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The test PostgreSQL may trade safety against a machine crash for speed, never what a PostgreSQL
 * crash keeps: the fault tests stop it immediately (as a crash would) and then expect every
 * transaction a service was told had committed to be there. With {@code synchronous_commit=off}
 * the last few hundred milliseconds of acknowledged commits were lost, and FaultsIT found a launch
 * report applied, acknowledged, and gone after the restart.
 */
class PostgresCrashTest {

    private static final int TRANSACTIONS = 300;

    @Test
    void everyCommitAcknowledgedBeforeAnImmediateStopIsThereAfterTheRestart() throws Exception {
        try (PostgresServer pg = PostgresServer.start()) {
            String database = pg.createDatabase("crash");
            psql(pg, database, "CREATE TABLE acknowledged (n int)");
            // One transaction per statement (psql's autocommit), each acknowledged before the next is sent.
            Path script = Files.createTempFile("orrery-commits-", ".sql");
            Files.writeString(script, IntStream.rangeClosed(1, TRANSACTIONS)
                    .mapToObj(n -> "INSERT INTO acknowledged VALUES (" + n + ");").collect(Collectors.joining("\n")));
            psqlFile(pg, database, script);

            pg.stop();
            pg.restart();

            assertThat(psql(pg, database, "SELECT count(*) FROM acknowledged").trim())
                    .as("acknowledged commits after an immediate stop").isEqualTo(Integer.toString(TRANSACTIONS));
            Files.delete(script);
        }
    }

    private static String psql(PostgresServer pg, String database, String sql) {
        return Processes.run(command(pg, database, "-tAc", sql), null, 60);
    }

    private static void psqlFile(PostgresServer pg, String database, Path script) {
        Processes.run(command(pg, database, "-q", "-f", script.toString()), null, 60);
    }

    private static List<String> command(PostgresServer pg, String database, String... arguments) {
        List<String> command = new java.util.ArrayList<>(List.of("env", "PGPASSWORD=" + PostgresServer.PASSWORD,
                pg.binDir().resolve("psql").toString(), "-w", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                "-p", Integer.toString(pg.port()), "-U", PostgresServer.USER, "-d", database));
        command.addAll(List.of(arguments));
        return command;
    }
}
