package orrery.sim.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import orrery.model.sim.SimBusy;
import orrery.model.sim.SimIdle;
import orrery.model.sim.SimTime;
import orrery.sim.controller.Decision.Advance;
import orrery.sim.controller.Decision.Check;

/**
 * The rule against a model of honest participants, driven by random scripts of joins, leaves,
 * idle and busy reports (announced or not), stale repeats, lagging reports, and advance attempts
 * with something happening between the reports and the checks: time moves only when every
 * joined participant really is idle for the current epoch and JetStream is quiet; it never goes
 * backwards; epochs grow by one; and it does move when nothing holds it.
 */
class ControllerStateProperties {

    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant REAL = Instant.parse("2030-01-01T00:00:00Z");
    private static final List<String> NAMES = List.of("p0", "p1", "p2");
    private static final Set<String> EXPECTED = Set.of("p0");

    sealed interface Action {
    }

    record Join(int who) implements Action {
    }

    record Leave(int who) implements Action {
    }

    /** {@code wakeMinutes} null: no wake wanted; {@code lagging}: the report is for the epoch before (sim.time not seen yet). */
    record Idle(int who, Integer wakeMinutes, boolean lagging) implements Action {
    }

    /** Every joined participant reports idle for the current epoch (so that scripts often get to move time). */
    record EveryoneIdle(List<Integer> wakeMinutes) implements Action {
    }

    /** {@code announce}: it also says so on sim.busy (safety must not depend on it). */
    record Busy(int who, boolean announce) implements Action {
    }

    /** A copy of an earlier message from this participant arrives again. */
    record Stale(int who, int index) implements Action {
    }

    /** One try at moving time: {@code meanwhile} happens between the reports and the checks. */
    record Step(boolean quiet, boolean dropAnswer, Action meanwhile) implements Action {
    }

    /** What one participant instance really is (the ground truth the rule must respect). */
    static final class Instance {
        long idleSince;
        boolean idle;
        long idleEpoch = -1;
        long seenEpoch = -1;
        Instant wake;
        final List<Object> sent = new ArrayList<>();
    }

    private ControllerState state;
    private Map<String, Instance> truth;

    @Property(tries = 400)
    void timeMovesOnlyWhenEveryParticipantIsReallyIdleAndNeverBackwards(@ForAll("scripts") List<Action> script) {
        state = new ControllerState(T0, EXPECTED, null, Duration.ofSeconds(10));
        truth = new TreeMap<>();
        SimTime last = state.time();
        int advances = 0;
        for (Action action : script) {
            if (action instanceof Step step) {
                SimTime before = state.time();
                step(step);
                SimTime after = state.time();
                assertThat(after.epoch()).isBetween(before.epoch(), before.epoch() + 1);
                assertThat(after.now()).isAfterOrEqualTo(before.now());
                advances += after.epoch() > before.epoch() ? 1 : 0;
                last = after;
            } else {
                apply(action);
                assertThat(state.time()).isEqualTo(last); // only a step moves time
            }
        }
        Statistics.label("advances in a script").collect(advances >= 5 ? "5+" : Integer.toString(advances));
    }

    private void step(Step step) {
        Decision next = state.next();
        if (!(next instanceof Check check)) {
            return;
        }
        if (step.meanwhile() != null) {
            apply(step.meanwhile());
        }
        SimTime before = state.time();
        List<StatusAnswer> answers = honestAnswers();
        if (step.dropAnswer() && !answers.isEmpty()) {
            answers.remove(0);
        }
        boolean reallyIdle = truth.keySet().containsAll(EXPECTED) && !truth.isEmpty()
                && truth.values().stream().allMatch(i -> i.idle && i.idleEpoch == before.epoch());
        Instant earliest = truth.values().stream().map(i -> i.wake).filter(w -> w != null).min(Instant::compareTo).orElse(null);

        Decision decision = state.decide(check.snapshot(), step.quiet() ? JetStreamStatus.QUIET
                : JetStreamStatus.holding("TASKS/c has 1 pending, 0 awaiting ack"), answers, REAL);

        if (decision instanceof Advance advance) {
            assertThat(reallyIdle).as("advanced while a participant was not idle for epoch %d: %s", before.epoch(), truth).isTrue();
            assertThat(step.quiet()).as("advanced while JetStream held a message").isTrue();
            assertThat(advance.time().epoch()).isEqualTo(before.epoch() + 1);
            assertThat(earliest).isNotNull();
            Instant expected = earliest.isAfter(before.now()) ? earliest : before.now();
            assertThat(advance.time().now()).isEqualTo(expected);
        } else if (step.meanwhile() == null && step.quiet() && !step.dropAnswer() && reallyIdle && earliest != null) {
            throw new AssertionError("nothing held time, yet it did not move: " + decision);
        }
    }

    private List<StatusAnswer> honestAnswers() {
        List<StatusAnswer> answers = new ArrayList<>();
        truth.forEach((name, i) -> answers.add(i.idle
                ? StatusAnswer.of(new SimIdle(name, i.idleEpoch, i.wake, i.idleSince))
                : StatusAnswer.of(new SimBusy(name, Math.max(0, i.seenEpoch), 1, List.of("work"), i.idleSince))));
        return answers;
    }

    private void apply(Action action) {
        if (action instanceof Join join) {
            String name = NAMES.get(join.who());
            state.join(name, REAL);
            truth.put(name, new Instance());
        } else if (action instanceof Leave leave) {
            String name = NAMES.get(leave.who());
            state.leave(name);
            truth.remove(name);
        } else if (action instanceof Idle idle) {
            String name = NAMES.get(idle.who());
            Instance i = truth.get(name);
            long epoch = state.time().epoch();
            if (i == null) {
                state.idle(new SimIdle(name, epoch, null, 1), REAL); // never joined: must be ignored
                return;
            }
            boolean lagging = idle.lagging() && epoch > 0 && i.seenEpoch < epoch;
            long reportEpoch = lagging ? epoch - 1 : epoch;
            i.idleSince++;
            i.idle = true;
            i.idleEpoch = reportEpoch;
            i.seenEpoch = Math.max(i.seenEpoch, reportEpoch);
            i.wake = idle.wakeMinutes() == null ? null : state.time().now().plus(Duration.ofMinutes(idle.wakeMinutes()));
            SimIdle report = new SimIdle(name, reportEpoch, i.wake, i.idleSince);
            i.sent.add(report);
            state.idle(report, REAL);
        } else if (action instanceof EveryoneIdle everyone) {
            List<String> joined = new ArrayList<>(truth.keySet());
            for (int k = 0; k < joined.size(); k++) {
                apply(new Idle(NAMES.indexOf(joined.get(k)), everyone.wakeMinutes().get(k), false));
            }
        } else if (action instanceof Busy busy) {
            String name = NAMES.get(busy.who());
            Instance i = truth.get(name);
            if (i == null) {
                return;
            }
            i.idle = false;
            i.wake = null;
            if (busy.announce()) {
                SimBusy report = new SimBusy(name, Math.max(0, i.seenEpoch), 1, List.of("work"), i.idleSince);
                i.sent.add(report);
                state.busy(report, REAL);
            }
        } else if (action instanceof Stale stale) {
            Instance i = truth.get(NAMES.get(stale.who()));
            if (i == null || i.sent.isEmpty()) {
                return;
            }
            Object old = i.sent.get(stale.index() % i.sent.size());
            if (old instanceof SimIdle report) {
                state.idle(report, REAL);
            } else if (old instanceof SimBusy report) {
                state.busy(report, REAL);
            }
        }
    }

    @Provide
    Arbitrary<List<Action>> scripts() {
        Arbitrary<Action> simple = simpleActions();
        Arbitrary<Action> step = Combinators.combine(Arbitraries.of(true, true, true, false), Arbitraries.of(false, false, false, true),
                simple.injectNull(0.6)).as(Step::new);
        Arbitrary<Action> everyone = Arbitraries.integers().between(-5, 120).injectNull(0.4).list().ofSize(NAMES.size())
                .map(EveryoneIdle::new);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, simple),
                net.jqwik.api.Tuple.of(3, everyone),
                net.jqwik.api.Tuple.of(4, step)).list().ofMinSize(5).ofMaxSize(60)
                .map(script -> {
                    List<Action> withJoins = new ArrayList<>(List.of(new Join(0), new Join(1)));
                    withJoins.addAll(script);
                    return withJoins;
                });
    }

    private static Arbitrary<Action> simpleActions() {
        Arbitrary<Integer> who = Arbitraries.integers().between(0, NAMES.size() - 1);
        Arbitrary<Action> join = who.map(Join::new);
        Arbitrary<Action> leave = who.map(Leave::new);
        Arbitrary<Action> idle = Combinators.combine(who, Arbitraries.integers().between(-5, 120).injectNull(0.3),
                Arbitraries.of(false, false, false, true)).as(Idle::new);
        Arbitrary<Action> busy = Combinators.combine(who, Arbitraries.of(true, false)).as(Busy::new);
        Arbitrary<Action> stale = Combinators.combine(who, Arbitraries.integers().between(0, 10)).as(Stale::new);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, join),
                net.jqwik.api.Tuple.of(1, leave),
                net.jqwik.api.Tuple.of(8, idle),
                net.jqwik.api.Tuple.of(3, busy),
                net.jqwik.api.Tuple.of(2, stale));
    }
}
