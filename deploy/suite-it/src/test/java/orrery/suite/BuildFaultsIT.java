package orrery.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import orrery.testsupport.JetStreamReport;
import orrery.testsupport.NatsServer;
import orrery.testsupport.PostgresServer;
import orrery.testsupport.Processes;
import orrery.testsupport.ServiceProcess;
import orrery.testsupport.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Issue 13's fault suite for the build side (the bookings' is deploy/e2e's FaultsIT): a real
 * nats-server and PostgreSQL, the fs-watcher and this service from their packaged jars as processes
 * of their own, the local suite's shipped rules ({@code deploy/local/demo-rules.txt}). NATS is
 * killed (SIGKILL) and restarted, PostgreSQL stopped at once and restarted, and each of the two
 * services killed (SIGKILL) and restarted, one after another; a watched file is edited during each
 * fault: while the dependency is away, just before the fs-watcher dies (its change not yet
 * published), and while the dependency manager builds from it (a rule that takes two seconds).
 * Afterwards every target must be up to date and built from the last edit (no change lost anywhere on watcher → JetStream → graph →
 * build), no build left running, nothing dead-lettered. Prints a table: fault, what it hit, how
 * long until both services were ready again.
 */
class BuildFaultsIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final String WATCHER = "fs-watcher";
    private static final String MANAGER = "dependency-manager";
    private static final List<String> TARGETS = List.of("notes.lines", "notes.sha256", "notes.slow");

    private static Path dir;
    private static Path projects;
    private static NatsServer nats;
    private static PostgresServer postgres;
    private static String token;
    private static final Map<String, ServiceProcess> SERVICES = new LinkedHashMap<>();
    private static int edits;
    private static boolean failed;

    /** One row of the printed table. */
    private record Case(String fault, String hit, Duration recovery) {
    }

    /** On a failure: thread dumps and JetStream's consumers and dead letters, beside the services' logs. */
    @RegisterExtension
    static final TestExecutionExceptionHandler DIAGNOSE = (context, failure) -> {
        failed = true;
        SERVICES.values().forEach(ServiceProcess::dumpThreads);
        JetStreamReport.write(nats, dir.resolve("logs/jetstream.txt"));
        System.out.println("logs and thread dumps in " + dir.resolve("logs"));
        throw failure;
    };

    @BeforeAll
    static void start() throws Exception {
        Path root = Path.of(System.getProperty("orrery.root", "../..")).toAbsolutePath().normalize();
        dir = Files.createTempDirectory("orrery-build-faults-");
        Path logs = Files.createDirectories(dir.resolve("logs"));
        projects = Files.createDirectories(dir.resolve("projects"));
        // The shipped rules, outside the watched root, as up.sh keeps them, and one that takes its time:
        // the dependency manager is killed while it builds.
        Path rules = Files.createDirectories(dir.resolve("shell-builder")).resolve("rules.txt");
        Files.writeString(rules, Files.readString(root.resolve("deploy/local/demo-rules.txt"))
                + "%.slow: %.txt -> bash -c 'sleep 2; wc -l \"$0\"' $< > $@\n");
        System.out.println("build fault suite in " + dir + " (kept if the test fails)");
        nats = NatsServer.startWithOrreryUsers();
        postgres = PostgresServer.start();
        Tokens tokens = new Tokens();
        Path publicKey = tokens.writePublicKey(dir);
        token = tokens.token("fay");
        for (String name : List.of(WATCHER, MANAGER)) {
            Map<String, String> env = new HashMap<>(nats.loginEnvironment(name));
            env.put("ORRERY_NATS_URL", nats.url());
            env.put("ORRERY_RUN_DIR", dir.toString());
            env.put("ORRERY_JWT_PUBLIC_KEY", publicKey.toString());
            env.put("ORRERY_JWT_ISSUER", Tokens.ISSUER);
            env.put("ORRERY_FSWATCH_ALLOWED_BASES", projects.toString());
            env.put("ORRERY_FSWATCH_ROOTS_PROJECTS_PATH", projects.toString());
            env.put("ORRERY_SHELL_BUILDER_ENABLED", "true");
            env.put("ORRERY_SHELL_BUILDER_RULES_FILE", rules.toString());
            env.put("ORRERY_SHELL_BUILDER_ROOTS", "projects=" + projects);
            env.put("QUARKUS_LOG_CATEGORY__ORRERY_SUPPORT_MESSAGING__LEVEL", "DEBUG");
            if (name.equals(MANAGER)) {
                String database = postgres.createDatabase("dependency_manager");
                env.putAll(postgres.environment(database));
            }
            SERVICES.put(name, new ServiceProcess(name, root, Processes.freePort(), env, logs));
        }
        SERVICES.values().forEach(ServiceProcess::start);
        SERVICES.values().forEach(ServiceProcess::awaitReady);
    }

    @AfterAll
    static void stop() {
        SERVICES.values().forEach(ServiceProcess::close);
        if (nats != null) {
            nats.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        if (!failed && dir != null) {
            Processes.deleteTree(dir); // kept when the test failed, for its logs
        }
    }

    @Test
    void everyFaultLeavesTheTargetsBuiltFromTheLastEdit() throws Exception {
        edit();
        awaitBuiltFromTheLastEdit();

        List<Case> cases = new ArrayList<>();
        cases.add(outage("NATS killed (SIGKILL) and restarted", Set.of(WATCHER, MANAGER), nats::kill, nats::restart));
        cases.add(outage("PostgreSQL stopped (immediate) and restarted", Set.of(MANAGER), postgres::stop, postgres::restart));

        // Killed within the quiet period: the edit is only in the file, not yet in JetStream.
        edit();
        cases.add(killAndRestart(WATCHER, "edit " + edits + " not yet published"));

        // Killed while it builds notes.slow from the edit.
        edit();
        await("a build of edit " + edits + " running").atMost(PATIENCE).pollInterval(Duration.ofMillis(50))
                .until(() -> get("/api/v1/builds").jsonPath().getList("state", String.class).contains("RUNNING"));
        cases.add(killAndRestart(MANAGER, "a build of edit " + edits + " running"));

        awaitBuiltFromTheLastEdit();
        for (String target : TARGETS) {
            String build = get("/api/v1/artefacts/projects/" + target).jsonPath().getString("lastBuild.buildId");
            assertThat(get("/api/v1/builds/" + build).jsonPath().getString("state")).as("%s's last build", target).isEqualTo("SUCCEEDED");
        }
        assertThat(JetStreamReport.lines(nats)).as("nothing dead-lettered").noneMatch(line -> line.contains("dead letter"));

        System.out.printf("%nbuild fault suite: notes.txt edited %d times, its targets built from the last edit%n", edits);
        System.out.printf("%-50s %-36s %s%n", "fault", "hit", "ready again after");
        for (Case c : cases) {
            System.out.printf("%-50s %-36s %d ms%n", c.fault(), c.hit(), c.recovery().toMillis());
        }
    }

    /** Takes a dependency away until the services that need it notice, edits meanwhile, brings it back. */
    private static Case outage(String fault, Set<String> affected, Runnable down, Runnable up) throws IOException {
        down.run();
        for (String name : affected) {
            await(name + " not ready while " + fault).atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                    .until(() -> !SERVICES.get(name).isReady());
        }
        edit();
        up.run();
        long back = System.nanoTime();
        awaitReady(fault);
        return new Case(fault, "edit " + edits + " during the outage", Duration.ofNanos(System.nanoTime() - back));
    }

    private static Case killAndRestart(String name, String hit) {
        ServiceProcess process = SERVICES.get(name);
        process.kill();
        long restarted = System.nanoTime();
        process.start();
        awaitReady(name + " killed");
        return new Case(name + " killed (SIGKILL) and restarted", hit, Duration.ofNanos(System.nanoTime() - restarted));
    }

    private static void awaitReady(String after) {
        for (ServiceProcess service : SERVICES.values()) {
            await(service.url() + " ready again after " + after).atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                    .until(service::isReady);
            assertThat(service.isLive()).as("%s live after %s", service.url(), after).isTrue();
        }
    }

    /** Adds a line to {@code notes.txt}: the line count ({@code wc -l}) then names the edit a build saw. */
    private static void edit() throws IOException {
        edits++;
        Files.writeString(projects.resolve("notes.txt"), "edit " + edits + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static void awaitBuiltFromTheLastEdit() {
        await(TARGETS + " built from edit " + edits).atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(BuildFaultsIT::builtFromTheLastEdit);
    }

    private static boolean builtFromTheLastEdit() throws Exception {
        for (String target : TARGETS) {
            if (!"UP_TO_DATE".equals(state(target))) {
                return false;
            }
        }
        return (edits + " notes.txt\n").equals(read("notes.lines")) && (edits + " notes.txt\n").equals(read("notes.slow"))
                && read("notes.sha256").equals(sha256(projects.resolve("notes.txt")) + "  notes.txt\n");
    }

    private static String state(String target) {
        Response response = get("/api/v1/artefacts/projects/" + target);
        return response.statusCode() == 200 ? response.jsonPath().getString("state") : "unknown (" + response.statusCode() + ")";
    }

    private static Response get(String path) {
        return RestAssured.given().auth().oauth2(token).get(SERVICES.get(MANAGER).url() + path);
    }

    private static String read(String file) throws IOException {
        Path path = projects.resolve(file);
        return Files.exists(path) ? Files.readString(path) : "";
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
