package orrery.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.time.Duration;
import java.util.List;
import orrery.model.messaging.NatsUsers;
import org.junit.jupiter.api.Test;

/** The servers tests start demand logins as the local suite's do. */
class ServerLoginsTest {

    @Test
    void natsWithOrreryUsersLetsEachUserInWithItsOwnPasswordOnlyAndKeepsThemOverARestart() throws Exception {
        try (NatsServer nats = NatsServer.startWithOrreryUsers()) {
            for (String user : NatsUsers.ALL) {
                assertThat(nats.password(user)).matches("[A-Za-z][A-Za-z0-9]+");
                try (Connection connection = Nats.connect(nats.options(user).build())) {
                    assertThat(connection.getStatus()).isEqualTo(Connection.Status.CONNECTED);
                }
            }
            assertThat(nats.loginEnvironment(NatsUsers.FS_WATCHER)).containsEntry(
                    "ORRERY_NATS_USERNAME", NatsUsers.FS_WATCHER)
                    .containsEntry("ORRERY_NATS_PASSWORD", nats.password(NatsUsers.FS_WATCHER));
            assertThat(nats.options(NatsUsers.BUILDER).build().getInboxPrefix()).isEqualTo(NatsUsers.BUILDER_INBOX_PREFIX);
            Options anonymous = new Options.Builder().server(nats.url()).noReconnect().build();
            Options swapped = new Options.Builder().server(nats.url()).noReconnect()
                    .userInfo(NatsUsers.ADMIN, nats.password(NatsUsers.BUILDER)).build();
            assertThatThrownBy(() -> Nats.connect(anonymous).close()).hasMessageContaining("Authorization");
            assertThatThrownBy(() -> Nats.connect(swapped).close()).hasMessageContaining("Authorization");
            assertThatThrownBy(() -> nats.password("orrery")).hasMessageContaining("no user 'orrery'");

            nats.restart();

            try (Connection connection = Nats.connect(nats.options(NatsUsers.ADMIN).build())) {
                assertThat(connection.getStatus()).isEqualTo(Connection.Status.CONNECTED);
            }
            assertThatThrownBy(() -> Nats.connect(anonymous).close()).hasMessageContaining("Authorization");
        }
    }

    @Test
    void postgresDemandsThePasswordOverTcpAndTheLocalSocket() {
        PostgresServer pg = PostgresTestResource.cluster();
        String psql = pg.binDir().resolve("psql").toString();
        String port = Integer.toString(pg.port());
        List<String> overTcp = List.of(psql, "-w", "-h", "127.0.0.1", "-p", port, "-U", PostgresServer.USER,
                "-d", "postgres", "-tAc", "SELECT 1");
        List<String> overSocket = List.of(psql, "-w", "-h", pg.socketDir().toString(), "-p", port,
                "-U", PostgresServer.USER, "-d", "postgres", "-tAc", "SELECT 1");

        assertThat(Processes.run(with("PGPASSWORD=" + PostgresServer.PASSWORD, overTcp), null, 30).trim()).isEqualTo("1");
        assertThatThrownBy(() -> Processes.run(with("PGPASSWORD=wrong", overTcp), null, 30))
                .hasMessageContaining("password authentication failed");
        assertThatThrownBy(() -> Processes.run(with(null, overSocket), null, 30))
                .as("no trust on the local socket").hasMessageContaining("no password supplied");
    }

    private static List<String> with(String password, List<String> command) {
        List<String> full = new java.util.ArrayList<>(List.of("env", "-u", "PGPASSWORD"));
        if (password != null) {
            full.add(password);
        }
        full.addAll(command);
        return full;
    }
}
