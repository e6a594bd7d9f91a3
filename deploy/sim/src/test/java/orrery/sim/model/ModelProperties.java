package orrery.sim.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.Nats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import orrery.model.messaging.NatsUsers;
import orrery.testsupport.NatsServer;

/**
 * The clock conditions, over many seeds and shapes, on runs of the simulated clock through a real
 * nats-server: what a Lamport clock promises, what vector clocks add, and that a run is its seed.
 */
class ModelProperties {

    private static NatsServer server;
    private static Connection nats;

    @BeforeContainer
    static void startNats() throws Exception {
        server = NatsServer.startWithOrreryUsers();
        nats = Nats.connect(server.options(NatsUsers.ADMIN).build());
    }

    @AfterContainer
    static void stopNats() throws Exception {
        nats.close();
        server.close();
    }

    private static ModelSettings shape(long seed, int machines, int lowest, int spread, int internal, int seconds) {
        return new ModelSettings(machines, lowest, lowest + spread, List.of(), internal, Duration.ofSeconds(seconds), seed,
                seed % 2 == 0 ? Peers.RING : Peers.RANDOM, true, ModelSettings.CLASSIC.start());
    }

    private static List<Event> events(ModelSettings settings) throws Exception {
        List<Event> events = new ArrayList<>();
        new ModelRunner(nats, false, Duration.ofSeconds(20)).run(settings, null, events::add);
        return events;
    }

    @Property(tries = 40)
    void clocksRiseReceivesExceedWhatTheyCarryAndCausalityOrdersLamport(
            @ForAll @LongRange(min = 1, max = 1_000_000) long seed, @ForAll @IntRange(min = 2, max = 6) int machines,
            @ForAll @IntRange(min = 1, max = 4) int lowest, @ForAll @IntRange(min = 0, max = 5) int spread,
            @ForAll @IntRange(min = 0, max = 10) int internal) throws Exception {
        List<Event> events = events(shape(seed, machines, lowest, spread, internal, 6));
        Map<Integer, Long> last = new HashMap<>();
        for (Event e : events) {
            long previous = last.getOrDefault(e.machine(), 0L);
            assertThat(e.before()).as("an event starts from the machine's last clock").isEqualTo(previous);
            assertThat(e.clock()).as("each machine's logical clock strictly increases").isGreaterThan(previous);
            assertThat(e.queue()).as("a queue never goes negative").isNotNegative();
            if (e.kind() == Event.Kind.RECEIVED) {
                assertThat(e.clock()).as("a receive is later than the clock its letter carried").isGreaterThan(e.carried());
            }
            last.put(e.machine(), e.clock());
        }
        for (Event a : events) {
            for (Event b : events) {
                if (a != b && happenedBefore(a.vector(), b.vector())) {
                    assertThat(a.clock()).as("a → b by the vector clocks, so L(a) < L(b)").isLessThan(b.clock());
                }
            }
        }
    }

    @Property(tries = 15)
    void aRunOnTheSimulatedClockIsItsSeed(@ForAll @LongRange(min = 1, max = 1_000_000) long seed,
                                          @ForAll @IntRange(min = 2, max = 8) int machines,
                                          @ForAll @IntRange(min = 0, max = 10) int internal) throws Exception {
        ModelSettings settings = shape(seed, machines, 1, 5, internal, 8);
        assertThat(fingerprint(events(settings))).isEqualTo(fingerprint(events(settings)));
    }

    /** Vector clocks: a → b when a ≤ b in every entry and they differ. */
    static boolean happenedBefore(long[] a, long[] b) {
        boolean smaller = false;
        for (int i = 0; i < a.length; i++) {
            if (a[i] > b[i]) {
                return false;
            }
            smaller |= a[i] < b[i];
        }
        return smaller;
    }

    private static List<String> fingerprint(List<Event> events) {
        return events.stream().map(e -> e.machine() + " " + e.kind() + " " + e.at() + " " + e.clock() + " " + e.queue() + " "
                + Arrays.toString(e.peers()) + " " + Arrays.toString(e.vector())).toList();
    }
}
