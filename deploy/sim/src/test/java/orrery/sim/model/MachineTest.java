package orrery.sim.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MachineTest {

    @Test
    void theClassicDrawIsOneOtherAllThenInternal() {
        assertThat(List.of(Action.of(1, 7), Action.of(2, 7), Action.of(3, 7))).containsExactly(Action.SEND_TO_ONE,
                Action.SEND_TO_OTHER, Action.SEND_TO_ALL);
        for (int draw = 4; draw <= 10; draw++) {
            assertThat(Action.of(draw, 7)).isEqualTo(Action.INTERNAL);
        }
    }

    @Test
    void fewerInternalDrawsCycleThroughTheSendKinds() {
        assertThat(List.of(Action.of(4, 4), Action.of(5, 4), Action.of(6, 4), Action.of(7, 4))).containsExactly(
                Action.SEND_TO_ONE, Action.SEND_TO_OTHER, Action.SEND_TO_ALL, Action.INTERNAL);
        assertThat(Action.of(10, 0)).isEqualTo(Action.SEND_TO_ONE);
        assertThat(Action.of(1, 10)).isEqualTo(Action.INTERNAL);
        assertThatThrownBy(() -> Action.of(11, 7)).hasMessageContaining("from 1 to 10");
    }

    @Test
    void theKindSharesFollowTheDrawRule() {
        assertThat(Queueing.kindShares(7)).containsExactly(new double[] {0.1, 0.1, 0.1}, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(Queueing.kindShares(4)).containsExactly(new double[] {0.2, 0.2, 0.2}, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(Queueing.kindShares(0)).containsExactly(new double[] {0.4, 0.3, 0.3}, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void onARingOfThreeOneAndTheOtherAreTheTwoOthers() {
        SplittableRandom random = new SplittableRandom(1);
        assertThat(Peers.RING.partners(0, 3, random)).containsExactly(1, 2);
        assertThat(Peers.RING.partners(2, 3, random)).containsExactly(0, 1);
        assertThat(Peers.RING.partners(7, 10, random)).containsExactly(8, 9);
        assertThat(Peers.RING.partners(1, 2, random)).containsExactly(0, 0);
        for (int id = 0; id < 20; id++) {
            int[] p = Peers.RANDOM.partners(id, 20, random);
            assertThat(p[0]).isNotEqualTo(id).isNotEqualTo(p[1]);
            assertThat(p[1]).isNotEqualTo(id);
        }
    }

    @Test
    void aReceiveTakesTheLargerClockPlusOneAndEmptiesTheQueueByOne() {
        Machine m = new Machine(0, 2, 3, 7, Peers.RING, new SplittableRandom(3), true);
        m.arrive(new Letter(1, 0, 1, 41, 0, new long[] {0, 41, 0}));
        m.arrive(new Letter(2, 0, 1, 3, 0, new long[] {0, 0, 3}));
        assertThat(m.queueLength()).isEqualTo(2);
        Event first = m.tick(500_000_000L).event();
        assertThat(first.kind()).isEqualTo(Event.Kind.RECEIVED);
        assertThat(first.before()).isZero();
        assertThat(first.clock()).isEqualTo(42);
        assertThat(first.jump()).isEqualTo(42);
        assertThat(first.queue()).isEqualTo(1);
        assertThat(first.peers()).containsExactly(1);
        assertThat(first.vector()).containsExactly(1, 41, 0);
        Event second = m.tick(1_000_000_000L).event();
        assertThat(second.clock()).as("max(42, 3) + 1").isEqualTo(43);
        assertThat(second.jump()).isEqualTo(1);
        assertThat(second.vector()).containsExactly(2, 41, 3);
        assertThat(m.queueLength()).isZero();
        assertThat(m.arrivals()).isEqualTo(2);
    }

    @Test
    void aSendIsStampedAndItsLettersCarryTheStamp() {
        // Find draws that send: with 0 internal draws in 10 every tick of an empty queue sends.
        Machine m = new Machine(1, 1, 3, 0, Peers.RING, new SplittableRandom(5), false);
        List<Event> sends = new ArrayList<>();
        List<Letter> letters = new ArrayList<>();
        for (int k = 0; k < 30; k++) {
            Machine.Tick t = m.tick(k * 1_000_000_000L);
            sends.add(t.event());
            letters.addAll(t.letters());
            assertThat(t.event().kind()).isEqualTo(Event.Kind.SENT);
            assertThat(t.letters()).isNotEmpty().allSatisfy(l -> {
                assertThat(l.clock()).as("the letter carries the send event's clock").isEqualTo(t.event().clock());
                assertThat(l.from()).isEqualTo(1);
                assertThat(l.to()).isNotEqualTo(1);
            });
            assertThat(t.event().peers()).containsExactly(t.letters().stream().mapToInt(Letter::to).toArray());
        }
        assertThat(sends).extracting(Event::clock).isSorted().doesNotHaveDuplicates();
        assertThat(letters).extracting(Letter::seq).doesNotHaveDuplicates();
        assertThat(letters).extracting(Letter::to).contains(0, 2);
    }

    @Test
    void anInternalEventMovesTheClockByOne() {
        Machine m = new Machine(0, 1, 2, 10, Peers.RING, new SplittableRandom(9), true);
        for (int k = 1; k <= 5; k++) {
            Machine.Tick t = m.tick(k);
            assertThat(t.event().kind()).isEqualTo(Event.Kind.INTERNAL);
            assertThat(t.event().clock()).isEqualTo(k);
            assertThat(t.letters()).isEmpty();
        }
    }

    @Test
    void settingsRefuseWhatCannotRun() {
        ModelSettings c = ModelSettings.CLASSIC;
        assertThatThrownBy(() -> c.withMachines(1)).hasMessageContaining("at least 2 machines");
        assertThatThrownBy(() -> c.withRates(0, 3)).hasMessageContaining("1 or more");
        assertThatThrownBy(() -> c.withRates(5, 3)).hasMessageContaining("lowest first");
        assertThatThrownBy(() -> c.withInternal(11)).hasMessageContaining("0 to 10");
        assertThatThrownBy(() -> c.withFixedRates(List.of(1, 0, 6))).hasMessageContaining("fixed rate");
        assertThatThrownBy(() -> c.withDuration(java.time.Duration.ZERO)).hasMessageContaining("positive");
    }

    @Test
    void aSeedGivesTheSameMachines() {
        List<Machine> a = ModelSettings.CLASSIC.withMachines(10).withSeed(4).build();
        List<Machine> b = ModelSettings.CLASSIC.withMachines(10).withSeed(4).build();
        assertThat(a).extracting(Machine::rate).containsExactlyElementsOf(b.stream().map(Machine::rate).toList())
                .allSatisfy(r -> assertThat(r).isBetween(1, 6));
        assertThat(ModelSettings.CLASSIC.withFixedRates(List.of(1, 6, 6)).build()).extracting(Machine::rate)
                .containsExactly(1, 6, 6);
    }

    @Test
    void ticksOfRatesOneToSixShareTwelveInstantsASecond() {
        java.util.Set<Long> instants = new java.util.TreeSet<>();
        for (int rate = 1; rate <= 6; rate++) {
            for (int k = 0; k < rate; k++) {
                instants.add(SimulatedClock.tickTime(k, rate));
            }
        }
        assertThat(instants).as("0, 1/6, 1/5, 1/4, 1/3, 2/5, 1/2, 3/5, 2/3, 3/4, 4/5, 5/6").hasSize(12);
        assertThat(SimulatedClock.tickTime(2, 6)).isEqualTo(SimulatedClock.tickTime(1, 3));
    }
}
