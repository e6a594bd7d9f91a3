package orrery.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import orrery.testsupport.ServiceProcess;

/**
 * The fault suite: a wave of bookings held in different phases (ACCEPTED, PREPARING with a transfer
 * in flight, WAITING, RUNNING, FINISHING with a session that ignores SIGTERM) while NATS is killed with SIGKILL and restarted, PostgreSQL is
 * stopped at once and restarted, and each booking service is killed with SIGKILL and restarted,
 * one after another on the same suite. Every booking must then end COMPLETED with every task
 * COMPLETED, one session each, its program fetched once, its history in order, and all capacity
 * given back. Prints a table: fault, the phases it hit, how long until every service was ready.
 * The fs-watcher's and dependency manager's faults are deploy/suite-it's BuildFaultsIT.
 */
class FaultsIT {

    private static final List<String> SERVICES = List.of("staging-service", "canfar-adapter", "execution-broker");
    private static Suite suite;
    /** The bookings held, for the diagnostics of a failure. */
    private static final List<Held> WAVE = new ArrayList<>();

    /** A booking of the wave, the phase it was held in, and the files it stages. */
    private record Held(String id, String phase, Bookings.Served files) {
    }

    /** One row of the printed table. */
    private record Case(String fault, String phasesHit, Duration recovery) {
    }

    /** On a failure: thread dumps and JetStream's consumers, beside the logs the suite keeps. */
    @RegisterExtension
    static final TestExecutionExceptionHandler DIAGNOSE = (context, failure) -> {
        try {
            Bookings b = new Bookings(suite);
            String token = suite.tokens.token("fay");
            for (Held held : WAVE) {
                System.out.println("history of " + held.id() + " (held " + held.phase() + "):");
                b.historySoFar(token, held.id()).forEach(change -> System.out.println("  " + change));
                System.out.println("  now: " + suite.call("GET", suite.service("execution-broker").url() + "/api/v1/executions/"
                        + held.id(), token, null));
            }
        } catch (RuntimeException unreadable) { // the broker may be what failed: the failure itself comes first
            System.out.println("the bookings could not be read: " + unreadable);
        }
        SuiteDiagnostics.dump(suite);
        throw failure;
    };

    @BeforeAll
    static void start() throws Exception {
        // A session's grace after SIGTERM outlasts the faults: the FINISHING booking's program ignores it.
        suite = new Suite(SERVICES, Map.of("ORRERY_CANFAR_GRACE", "PT3M"));
    }

    @AfterAll
    static void stop() {
        if (suite != null) {
            suite.close();
        }
    }

    @Test
    void everyFaultOnAWaveOfBookingsEndsCompletedWithNothingRunTwice() throws Exception {
        Bookings b = new Bookings(suite);
        String user = "fay";
        String token = suite.tokens.token(user);
        List<Held> wave = WAVE;

        // Booked first, so that its way to FINISHING (a 15 s booking whose program outlasts its end)
        // and the ACCEPTED one's wait for its start run while the others are brought into place.
        Bookings.Served finishing = b.serve("fault-finish", "release-finish", true);
        String fin = b.book(token, b.request(finishing, "/files/" + finishing.data(), finishing.dataMd5(), null, "PT15S"));
        Bookings.Served accepted = b.serve("fault-accepted");
        String acc = b.bookServed(token, accepted, Instant.now().plusSeconds(60));
        assertThat(b.phase(token, acc)).isEqualTo("ACCEPTED");
        wave.add(new Held(acc, "ACCEPTED", accepted));

        suite.files.holdAfter(100_000);
        Bookings.Served preparing = b.serve("fault-prep");
        String prep = b.book(token, b.request(preparing, "/hold/" + preparing.data(), preparing.dataMd5()));
        await().atMost(Bookings.PATIENCE).until(() -> b.runningStage(token, prep), t -> t != null);
        wave.add(new Held(prep, "PREPARING", preparing));

        Bookings.Served running = b.serve("fault-run", "release");
        String run = b.bookServed(token, running, null);
        b.awaitPhase(token, run, "RUNNING");
        wave.add(new Held(run, "RUNNING", running));

        Bookings.Served waiting = b.serve("fault-wait");
        String wait = b.bookServed(token, waiting, Instant.now().plusSeconds(22));
        b.awaitPhase(token, wait, "WAITING");
        wave.add(new Held(wait, "WAITING", waiting));

        b.awaitPhase(token, fin, "FINISHING");
        wave.add(new Held(fin, "FINISHING", finishing));

        List<Case> cases = new ArrayList<>();
        cases.add(outage("NATS killed (SIGKILL) and restarted", phases(b, token, wave), suite.nats::kill, suite.nats::restart));
        cases.add(outage("PostgreSQL stopped (immediate) and restarted", phases(b, token, wave), suite.postgres::stop,
                suite.postgres::restart));
        for (String service : SERVICES) {
            String hit = phases(b, token, wave);
            ServiceProcess process = suite.service(service);
            process.kill();
            long restarted = System.nanoTime();
            process.start();
            process.awaitReady();
            cases.add(new Case(service + " killed (SIGKILL) and restarted", hit, Duration.ofNanos(System.nanoTime() - restarted)));
        }

        suite.files.release(preparing.data());
        Files.writeString(sessionFolder(user, run).resolve("release"), "go\n");
        assertThat(b.phase(token, fin)).as("the session that ignores SIGTERM holds its booking").isEqualTo("FINISHING");
        Files.writeString(sessionFolder(user, fin).resolve("release-finish"), "go\n");

        List<String> outcomes = new ArrayList<>();
        for (Held held : wave) {
            String id = held.id();
            JsonNode done = b.awaitPhase(token, id, "COMPLETED");
            outcomes.add(held.phase() + " -> " + done.path("phase").asText() + (done.path("late").asBoolean() ? " (late)" : ""));
            assertThat(done.path("tasks").findValuesAsText("state")).as("tasks of %s", id).containsOnly("COMPLETED");
            // A phase may be recorded again with news (running late, the session starting), never left and re-entered.
            assertThat(collapsed(b.phases(token, id))).as("history of %s", id)
                    .containsExactly("ACCEPTED", "PREPARING", "WAITING", "RUNNING", "FINISHING", "COMPLETED");
            Bookings.Served f = held.files();
            assertThat(suite.files.requests("/files/" + f.program())).as("%s's program fetched once", id).isEqualTo(1);
            assertThat(sessionFolder(user, id).resolve(f.data())).hasBinaryContent(f.bytes());
        }
        JsonNode sessions = suite.call("GET", suite.service("canfar-adapter").url() + "/api/v1/sessions", token, null);
        for (Held held : wave) {
            assertThat(sessions.findValuesAsText("executionId")).as("one session for %s", held.id()).containsOnlyOnce(held.id());
        }
        assertAllCapacityGivenBack(token);

        System.out.println("\nfault suite: " + outcomes);
        System.out.printf("%-50s %-55s %s%n", "fault", "bookings in", "ready again after");
        for (Case c : cases) {
            System.out.printf("%-50s %-55s %d ms%n", c.fault(), c.phasesHit(), c.recovery().toMillis());
        }
    }

    /** Takes a dependency away until every service has noticed, brings it back, and times the return to ready. */
    private static Case outage(String fault, String hit, Runnable down, Runnable up) {
        down.run();
        for (String service : SERVICES) {
            await(service + " not ready while " + fault).atMost(Bookings.PATIENCE).pollInterval(Duration.ofMillis(100))
                    .until(() -> !suite.service(service).isReady());
        }
        up.run();
        long back = System.nanoTime();
        for (String service : SERVICES) {
            await(service + " ready again after " + fault).atMost(Bookings.PATIENCE).pollInterval(Duration.ofMillis(100))
                    .until(suite.service(service)::isReady);
            assertThat(suite.service(service).isLive()).as("%s live after %s", service, fault).isTrue();
        }
        return new Case(fault, hit, Duration.ofNanos(System.nanoTime() - back));
    }

    private static List<String> collapsed(List<String> phases) {
        List<String> distinct = new ArrayList<>();
        for (String phase : phases) {
            if (distinct.isEmpty() || !distinct.get(distinct.size() - 1).equals(phase)) {
                distinct.add(phase);
            }
        }
        return distinct;
    }

    private static String phases(Bookings b, String token, List<Held> wave) {
        return String.join(", ", wave.stream().map(held -> b.phase(token, held.id())).toList());
    }

    private static void assertAllCapacityGivenBack(String token) {
        // From a few seconds on: a finished execution keeps the second it finished in.
        long from = Instant.now().getEpochSecond() + 5;
        JsonNode availability = suite.call("GET", suite.service("execution-broker").url()
                + "/api/v1/pools/default/availability?start_time=" + from + "&end_time=" + (from + 3600), token, null);
        JsonNode pool = suite.call("GET", suite.service("execution-broker").url() + "/api/v1/pools/default", token, null);
        int capacity = pool.findValue("capacity").asInt();
        for (JsonNode span : availability.path("free")) {
            assertThat(span.path("free").asInt()).as("free cores %s", span).isEqualTo(capacity);
        }
    }

    private static Path sessionFolder(String user, String id) {
        return suite.storage.resolve("home/" + user + "/broker/" + id);
    }
}
