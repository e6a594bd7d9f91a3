package orrery.support.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import orrery.model.json.Json;
import orrery.model.messaging.Subjects;
import orrery.model.sim.SimBusy;
import orrery.model.sim.SimIdle;
import orrery.model.sim.SimTime;
import orrery.model.time.TimeSource;
import orrery.testsupport.NatsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A participant against a real nats-server, with this test playing the controller. */
class SimulatedTimeSourceTest {

    private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");
    private static final ObjectMapper JSON = Json.strictMapper();

    private static NatsServer nats;
    private Connection controller;
    private Connection service;
    private Dispatcher answers;
    private final List<SimIdle> idles = new CopyOnWriteArrayList<>();
    private final List<SimBusy> busies = new CopyOnWriteArrayList<>();
    private final AtomicLong epoch = new AtomicLong();

    @BeforeAll
    static void startNats() {
        nats = NatsServer.start();
    }

    @AfterAll
    static void stopNats() {
        nats.close();
    }

    @BeforeEach
    void playTheController() throws Exception {
        controller = Nats.connect(nats.url());
        service = Nats.connect(nats.url());
        answers = controller.createDispatcher();
        answers.subscribe(Subjects.SIM_JOIN, message -> controller.publish(message.getReplyTo(), json(new SimTime(0, START))));
        answers.subscribe(Subjects.SIM_IDLE, message -> idles.add(read(message, SimIdle.class)));
        answers.subscribe(Subjects.SIM_BUSY, message -> busies.add(read(message, SimBusy.class)));
        controller.flush(Duration.ofSeconds(2));
    }

    @AfterEach
    void close() throws Exception {
        controller.close();
        service.close();
    }

    @Test
    void joinsAtTheControllersTimeAndReportsIdleWithItsNextWake() {
        try (SimulatedTimeSource time = join()) {
            assertThat(time.now()).isEqualTo(START);

            time.schedule(START.plusSeconds(90), () -> { });
            time.scheduleBackground(START.plusSeconds(5), () -> { });

            await().atMost(Duration.ofSeconds(5)).until(() -> !idles.isEmpty()
                    && START.plusSeconds(90).equals(last(idles).nextWake()));
            assertThat(last(idles).participant()).isEqualTo("broker-under-test");
        }
    }

    @Test
    void runsTheTimersDueByAnAdvanceInOrderAndThenReportsIdleForThatEpoch() {
        List<String> ran = new CopyOnWriteArrayList<>();
        try (SimulatedTimeSource time = join()) {
            time.schedule(START.plusSeconds(20), () -> ran.add("b"));
            time.schedule(START.plusSeconds(10), () -> ran.add("a"));
            time.schedule(START.plusSeconds(30), () -> ran.add("later"));
            time.scheduleBackground(START.plusSeconds(15), () -> ran.add("poll"));

            advance(START.plusSeconds(20));

            await().atMost(Duration.ofSeconds(5)).until(() -> idles.stream().anyMatch(i -> i.epoch() == epoch.get()));
            assertThat(ran).containsExactly("a", "poll", "b");
            assertThat(time.now()).isEqualTo(START.plusSeconds(20));
            SimIdle idle = idles.stream().filter(i -> i.epoch() == epoch.get()).reduce((a, b) -> b).orElseThrow();
            assertThat(idle.nextWake()).isEqualTo(START.plusSeconds(30));
        }
    }


    @Test
    void aCancelledTimerNeitherRunsNorHoldsAWake() {
        List<String> ran = new CopyOnWriteArrayList<>();
        try (SimulatedTimeSource time = join()) {
            TimeSource.Timer first = time.schedule(START.plusSeconds(10), () -> ran.add("cancelled"));
            time.schedule(START.plusSeconds(40), () -> ran.add("kept"));
            await().atMost(Duration.ofSeconds(5)).until(() -> !idles.isEmpty() && START.plusSeconds(10).equals(last(idles).nextWake()));

            assertThat(first.cancel()).isTrue();
            assertThat(first.cancel()).isFalse();
            time.scheduleBackground(START.plusSeconds(20), () -> ran.add("poll")); // a report after the cancel

            await().atMost(Duration.ofSeconds(5)).until(() -> START.plusSeconds(40).equals(last(idles).nextWake()));
            advance(START.plusSeconds(40));
            await().atMost(Duration.ofSeconds(5)).until(() -> idles.stream().anyMatch(i -> i.epoch() == epoch.get()));
            assertThat(ran).containsExactly("poll", "kept");
        }
    }
    @Test
    void workInFlightHoldsIdleBackAndIsNamedWhenAsked() throws Exception {
        try (SimulatedTimeSource time = join()) {
            await().atMost(Duration.ofSeconds(5)).until(() -> !idles.isEmpty());
            WorkInFlight.Work work = time.enter("message on tasks.staging.transfer");
            advance(START.plusSeconds(60));

            await().atMost(Duration.ofSeconds(5)).until(() -> !busies.isEmpty());
            SimBusy status = read(controller.request(Subjects.SIM_STATUS, new byte[0], Duration.ofSeconds(2)), SimBusy.class);
            assertThat(status.inFlight()).isEqualTo(1);
            assertThat(status.holds()).containsExactly("message on tasks.staging.transfer");
            assertThat(idles).noneMatch(i -> i.epoch() == epoch.get());

            long before = last(idles).idleSince();
            work.close();
            work.close(); // twice is once

            await().atMost(Duration.ofSeconds(5)).until(() -> idles.stream().anyMatch(i -> i.epoch() == epoch.get()));
            assertThat(last(idles).idleSince()).isGreaterThan(before);
            SimIdle confirmed = read(controller.request(Subjects.SIM_STATUS, new byte[0], Duration.ofSeconds(2)), SimIdle.class);
            assertThat(confirmed.idleSince()).isEqualTo(last(idles).idleSince());
        }
    }

    @Test
    void withoutAControllerJoiningFailsNamingWhatToStart() throws Exception {
        answers.unsubscribe(Subjects.SIM_JOIN);
        controller.flush(Duration.ofSeconds(2));

        assertThatThrownBy(() -> SimulatedTimeSource.join(service, "lonely", Duration.ofMillis(300), Duration.ofMillis(100)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no controller answered on sim.join")
                .hasMessageContaining("orrery-sim run");
    }

    private SimulatedTimeSource join() {
        return SimulatedTimeSource.join(service, "broker-under-test", Duration.ofSeconds(5), Duration.ofMillis(200));
    }

    private void advance(Instant to) {
        controller.publish(Subjects.SIM_TIME, json(new SimTime(epoch.incrementAndGet(), to)));
    }

    private static <T> T last(List<T> list) {
        return list.get(list.size() - 1);
    }

    private static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T read(Message message, Class<T> type) {
        try {
            return JSON.readValue(message.getData(), type);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
