package orrery.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import orrery.model.json.Json;
import orrery.model.messaging.NatsUsers;
import orrery.model.messaging.Subjects;
import orrery.model.sim.SimTime;
import orrery.testsupport.NatsServer;
import orrery.testsupport.Processes;

/** The time controller of deploy/sim as a process of its own, and a way to ask it the time. */
final class TimeControllerProcess implements AutoCloseable {

    private static final ObjectMapper JSON = Json.strictMapper();

    private final Process process;
    private final Connection connection;
    private final Path log;

    private TimeControllerProcess(Process process, Connection connection, Path log) {
        this.process = process;
        this.connection = connection;
        this.log = log;
    }

    static TimeControllerProcess start(Path root, NatsServer nats, Instant start, List<String> expected, Path logs) {
        Path jar = root.resolve("deploy/sim/target/orrery-sim.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing; build deploy/sim first (mvn package)");
        }
        Path log = logs.resolve("orrery-sim.log");
        List<String> command = orrerySim(jar, "128m", "run", "--start", start.toString(), "--expect", String.join(",", expected));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("ORRERY_NATS_URL", nats.url());
        builder.environment().put("ORRERY_NATS_USERNAME", NatsUsers.ADMIN);
        builder.environment().put("ORRERY_NATS_PASSWORD", nats.password(NatsUsers.ADMIN));
        try {
            Process process = builder.start();
            Connection connection = Nats.connect(nats.options(NatsUsers.ADMIN).build());
            return new TimeControllerProcess(process, connection, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the time controller", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs {@code orrery-sim replay} against the broker at {@code brokerUrl} with {@code arguments}
     * (after the connection and signing ones), waits for it and returns its summary.json.
     */
    static JsonNode replay(Path root, NatsServer nats, String brokerUrl, Path privateKey, Path out, List<String> arguments) {
        Path jar = root.resolve("deploy/sim/target/orrery-sim.jar");
        List<String> command = orrerySim(jar, "192m", "replay", "--broker", brokerUrl, "--nats", nats.url(),
                "--jwt-key", privateKey.toString(), "--out", out.toString(), "--progress", "PT0S");
        command.addAll(arguments);
        Path log = out.resolveSibling(out.getFileName() + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("ORRERY_NATS_USERNAME", NatsUsers.ADMIN);
        builder.environment().put("ORRERY_NATS_PASSWORD", nats.password(NatsUsers.ADMIN));
        try {
            Process process = builder.start();
            if (!process.waitFor(3, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("the replay did not end within 3 minutes; see " + log);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("the replay exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            return JSON.readTree(out.resolve("summary.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run the replay (see " + log + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The command line of {@code orrery-sim <arguments>} on this JDK (C1 only and the serial GC: a short-lived JVM on two cores). */
    private static List<String> orrerySim(Path jar, String heap, String... arguments) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
        command.addAll(List.of(arguments));
        return command;
    }

    /** The simulated time now, as the controller says. */
    SimTime now() {
        try {
            Message reply = connection.request(Subjects.SIM_NOW, new byte[0], Duration.ofSeconds(5));
            if (reply == null) {
                throw new IllegalStateException("the time controller did not answer sim.now; see " + log);
            }
            return JSON.readValue(reply.getData(), SimTime.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Path log() {
        return log;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Processes.stop(process, Duration.ofSeconds(10));
    }
}
