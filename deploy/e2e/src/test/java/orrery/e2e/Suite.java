package orrery.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import orrery.testsupport.FileServer;
import orrery.testsupport.NatsServer;
import orrery.testsupport.PostgresServer;
import orrery.testsupport.Processes;
import orrery.testsupport.ServiceProcess;
import orrery.testsupport.Tokens;

/**
 * The whole suite for end-to-end tests: a real nats-server and PostgreSQL, a local HTTP source,
 * and the services started from their packaged jars as separate processes, on free ports, with
 * everything they write in one temporary folder (kept on failure; its path is printed).
 */
final class Suite implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final Path dir;
    final Path storage;
    final NatsServer nats;
    final PostgresServer postgres;
    final FileServer files;
    final Tokens tokens;
    final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    /** The time controller, on simulated time; null otherwise. */
    TimeControllerProcess controller;
    private final Map<String, Map<String, String>> environments = new HashMap<>();
    private final Path root;
    private final Path logs;

    Suite(List<String> names) throws Exception {
        this(names, null, Map.of());
    }

    /**
     * With {@code simulatedStart} set, the whole suite runs on simulated time: the time controller
     * (deploy/sim) starts at that instant before the services, which join it, with modelled
     * sessions and transfers.
     */
    Suite(List<String> names, Instant simulatedStart) throws Exception {
        this(names, simulatedStart, Map.of());
    }

    /** As {@link #Suite(List)}, with {@code settings} added to every service's environment. */
    Suite(List<String> names, Map<String, String> settings) throws Exception {
        this(names, null, settings);
    }

    private Suite(List<String> names, Instant simulatedStart, Map<String, String> settings) throws Exception {
        root = Path.of(System.getProperty("orrery.root", "../..")).toAbsolutePath().normalize();
        dir = Files.createTempDirectory("orrery-e2e-");
        storage = Files.createDirectories(dir.resolve("storage"));
        Path served = Files.createDirectories(dir.resolve("served"));
        logs = Files.createDirectories(dir.resolve("logs"));
        System.out.println("end-to-end suite in " + dir);
        nats = NatsServer.startWithOrreryUsers(); // every service logs in as itself, with its own permissions
        postgres = PostgresServer.start();
        files = FileServer.start(served);
        tokens = new Tokens();
        Path publicKey = tokens.writePublicKey(dir);
        if (simulatedStart != null) {
            controller = TimeControllerProcess.start(root, nats, simulatedStart, names, logs);
        }
        for (String name : names) {
            Map<String, String> env = new HashMap<>();
            if (simulatedStart != null) {
                env.put("ORRERY_TIME_SOURCE", "simulated");
                env.put("ORRERY_CANFAR_BACKEND", "simulated");
                env.put("ORRERY_STAGING_BACKEND", "simulated");
            }
            env.put("ORRERY_NATS_URL", nats.url());
            env.putAll(nats.loginEnvironment(name));
            env.put("ORRERY_RUN_DIR", dir.toString());
            env.put("ORRERY_STORAGE_ROOT", storage.toString());
            env.put("ORRERY_JWT_PUBLIC_KEY", publicKey.toString());
            env.put("ORRERY_JWT_ISSUER", Tokens.ISSUER);
            env.put("ORRERY_BROKER_OFFERS_GRANULARITY", "PT1S");
            env.put("ORRERY_CANFAR_GRACE", "PT2S");
            // Local sessions run fenced off under an account of their own: nobody exists everywhere.
            env.put("ORRERY_CANFAR_LOCAL_SESSION_USER", "nobody");
            env.put("ORRERY_CANFAR_LOCAL_SESSION_GROUP", "nogroup");
            if (!"root".equals(System.getProperty("user.name"))) {
                env.put("ORRERY_CANFAR_LOCAL_ISOLATION", "none"); // only root can switch accounts
            }
            if (!name.equals("fs-watcher")) {
                String database = postgres.createDatabase(name.replace('-', '_'));
                env.putAll(postgres.environment(database));
            }
            // Every acknowledgement, redelivery and dead letter in the logs a failed test keeps.
            env.put("QUARKUS_LOG_CATEGORY__ORRERY_SUPPORT_MESSAGING__LEVEL", "DEBUG");
            env.putAll(settings);
            environments.put(name, env);
            services.put(name, new ServiceProcess(name, root, Processes.freePort(), env, logs));
        }
        services.values().forEach(ServiceProcess::start);
        services.values().forEach(ServiceProcess::awaitReady);
    }

    /** The checkout the services' jars are started from. */
    Path root() {
        return root;
    }

    ServiceProcess service(String name) {
        return services.get(name);
    }

    /** Starts another replica of a service, sharing its database and NATS, on a port of its own. */
    ServiceProcess replica(String name, String replica) {
        ServiceProcess process = new ServiceProcess(name, root, Processes.freePort(), environments.get(name), logs, replica);
        services.put(replica, process);
        process.start();
        process.awaitReady();
        return process;
    }

    JsonNode call(String method, String url, String token, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token);
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            }
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            // 303 is how /ivoa answers a new offer set, with the set in the body.
            if (response.statusCode() >= 300 && response.statusCode() != 303) {
                throw new IllegalStateException(method + " " + url + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String text(String url, String token) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        services.values().forEach(ServiceProcess::close);
        if (controller != null) {
            controller.close();
        }
        files.close();
        nats.close();
        postgres.close();
    }
}
