package orrery.sim.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.Nats;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import orrery.model.messaging.NatsUsers;
import orrery.model.time.SystemTimeSource;
import orrery.sim.OrrerySim;
import orrery.sim.controller.TimeController;
import orrery.testsupport.NatsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model as a participant of the suite's simulated time: the real time controller (in-process,
 * over a real nats-server) moves the clock instant by instant, and the run is the same as on the
 * model's own clock.
 */
class ModelOnTheControllerTest {

    private static final Instant T0 = Instant.parse("2026-05-04T08:00:00Z");

    @TempDir
    Path dir;

    @Test
    void theControllerMovesTheModelsTimeAndTheRunIsTheSameAsAlone() throws Exception {
        List<String> controllerLog = new CopyOnWriteArrayList<>();
        try (NatsServer server = NatsServer.startWithOrreryUsers();
             Connection admin = Nats.connect(server.options(NatsUsers.ADMIN).build());
             SystemTimeSource wall = new SystemTimeSource()) {
            TimeController controller = new TimeController(admin, wall, TimeController.Settings.of(T0, Set.of("model"))
                    .confirmTimeout(Duration.ofSeconds(1)), controllerLog::add);
            controller.start();
            CompletableFuture<?> loop = CompletableFuture.supplyAsync(controller::run);
            try {
                Map<String, String> env = new HashMap<>(server.loginEnvironment(NatsUsers.ADMIN));
                env.put("ORRERY_NATS_URL", server.url());
                Path joined = dir.resolve("joined");
                StringWriter err = new StringWriter();
                int code = OrrerySim.run(env, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "model",
                        "--join", "model", "--duration", "PT5S", "--seed", "7", "--out", joined.toString());
                assertThat(code).as(err.toString()).isZero();
                assertThat(err.toString()).contains("joined the suite's simulated time as model at " + T0);
                assertThat(controller.time().now()).as("the controller moved time to the run's end")
                        .isEqualTo(T0.plusSeconds(5));
                assertThat(controllerLog).anySatisfy(line -> assertThat(line).contains("model joined"));

                Path alone = dir.resolve("alone");
                assertThat(OrrerySim.run(env, new PrintWriter(new StringWriter(), true), new PrintWriter(new StringWriter(), true),
                        "model", "--start", T0.toString(), "--duration", "PT5S", "--seed", "7", "--out", alone.toString()))
                        .isZero();
                for (int i = 0; i < 3; i++) {
                    String log = Files.readString(joined.resolve("machine-" + i + ".log"));
                    assertThat(log).startsWith(T0.toString().replace("Z", "")).isEqualTo(Files.readString(
                            alone.resolve("machine-" + i + ".log")));
                }
            } finally {
                controller.close();
                loop.get(10, TimeUnit.SECONDS);
            }
        }
    }
}
