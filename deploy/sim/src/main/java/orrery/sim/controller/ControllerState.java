package orrery.sim.controller;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import orrery.model.sim.SimBusy;
import orrery.model.sim.SimIdle;
import orrery.model.sim.SimTime;
import orrery.sim.controller.Decision.Advance;
import orrery.sim.controller.Decision.Check;
import orrery.sim.controller.Decision.Finish;
import orrery.sim.controller.Decision.Retry;
import orrery.sim.controller.Decision.Snapshot;
import orrery.sim.controller.Decision.Wait;

/**
 * The time controller's rule, without NATS: who takes part, what each last reported, and whether
 * time may move (docs/design-notes.md, "Simulated time: the protocol"). Time moves from epoch
 * {@code e} only when
 * <ol>
 *   <li>every expected participant has joined and every joined one reported {@code sim.idle} for
 *       {@code e} ({@link #next});</li>
 *   <li>no consumer of {@code TASKS} or {@code EVENTS} has messages pending or awaiting
 *       acknowledgement, and</li>
 *   <li>a {@code sim.status} round found every participant still idle with the {@code idleSince}
 *       it reported, and nothing changed meanwhile ({@link #decide}).</li>
 * </ol>
 * Then it moves to the earliest {@code nextWake}, never backwards, and the epoch grows by one.
 *
 * <p>Real time (for leak reports) is passed in; the class never reads a clock. Not thread-safe:
 * the controller calls it under one lock.
 */
public final class ControllerState {

    private final Set<String> expected;
    private final Instant until;
    private final Duration leakAfter;
    private final Map<String, Participant> participants = new TreeMap<>();
    private long epoch;
    private Instant now;
    private long version;
    private long membership;

    /**
     * @param start     simulated time at epoch 0
     * @param expected  participants to wait for before time may move
     * @param until     where the run ends (null: it never ends on its own)
     * @param leakAfter real time a participant may stay away from idle before it is reported
     */
    public ControllerState(Instant start, Set<String> expected, Instant until, Duration leakAfter) {
        this.now = Objects.requireNonNull(start, "start");
        this.expected = Set.copyOf(expected);
        if (until != null && until.isBefore(start)) {
            throw new IllegalArgumentException("until (" + until + ") is before start (" + start + ")");
        }
        this.until = until;
        if (leakAfter.isNegative() || leakAfter.isZero()) {
            throw new IllegalArgumentException("leakAfter must be positive but was " + leakAfter);
        }
        this.leakAfter = leakAfter;
    }

    /** The current simulated time and epoch. */
    public SimTime time() {
        return new SimTime(epoch, now);
    }

    /** Grows with every change that matters to the rule (a join, a leave, a report that changes someone's state, an advance). */
    public long version() {
        return version;
    }

    /** Grows with every join and leave: answers gathered across a change of membership may come from an earlier self. */
    public long membership() {
        return membership;
    }

    /** The participants that have joined, by name. */
    public Set<String> joined() {
        return Set.copyOf(participants.keySet());
    }

    /**
     * A participant joins (or joins again after a restart, replacing its earlier self and
     * everything that self reported). Returns the current time, the join's reply.
     */
    public SimTime join(String name, Instant realNow) {
        requireName(name);
        Participant earlier = participants.get(name);
        participants.put(name, new Participant(name, earlier == null ? 1 : earlier.generation + 1, realNow));
        version++;
        membership++;
        return time();
    }

    /** True when this participant had joined (now it has left). */
    public boolean leave(String name) {
        boolean left = participants.remove(name) != null;
        if (left) {
            version++;
            membership++;
        }
        return left;
    }

    /** Records a {@code sim.idle} report; answers why it was ignored, if it was. */
    public Optional<String> idle(SimIdle report, Instant realNow) {
        Participant p = participants.get(report.participant());
        if (p == null) {
            return Optional.of("idle report from " + report.participant() + ", which has not joined (it must ask on sim.join first)");
        }
        if (report.epoch() != epoch) {
            return Optional.of("idle report from " + p.name + " for epoch " + report.epoch() + "; the current epoch is " + epoch);
        }
        if (p.idle != null && p.busy == null && p.idle.equals(report)) {
            return Optional.empty(); // the same report again (a sim.status answer, say): nothing changes
        }
        if (report.idleSince() <= p.highestIdleSince) {
            return Optional.of("stale idle report from " + p.name + " (idleSince " + report.idleSince()
                    + ", already seen " + p.highestIdleSince + ")");
        }
        p.idle = report;
        p.busy = null;
        p.highestIdleSince = report.idleSince();
        p.notIdleSince = null;
        p.unconfirmed = false;
        p.lastLeakReport = null;
        version++;
        return Optional.empty();
    }

    /** Records a {@code sim.busy} report (or a busy {@code sim.status} answer); answers why it was ignored, if it was. */
    public Optional<String> busy(SimBusy report, Instant realNow) {
        Participant p = participants.get(report.participant());
        if (p == null) {
            return Optional.of("busy report from " + report.participant() + ", which has not joined");
        }
        if (report.idleSince() < p.highestIdleSince) {
            return Optional.of("stale busy report from " + p.name + " (idleSince " + report.idleSince()
                    + ", already seen " + p.highestIdleSince + ")");
        }
        boolean wasIdle = p.idleFor(epoch);
        p.busy = report;
        if (wasIdle) {
            p.notIdleSince = realNow;
            version++;
        }
        return Optional.empty();
    }

    /**
     * What to do now, from the reports alone: wait (for a join, a report, work), or check
     * JetStream and confirm, then {@link #decide}.
     */
    public Decision next() {
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(participants.keySet());
        if (!missing.isEmpty()) {
            return new Wait("waiting for " + String.join(", ", missing) + " to join", Retry.ON_REPORT);
        }
        if (participants.isEmpty()) {
            return new Wait("no participant has joined", Retry.ON_REPORT);
        }
        List<String> notIdle = new ArrayList<>();
        for (Participant p : participants.values()) {
            if (!p.idleFor(epoch)) {
                notIdle.add(p.describe(epoch));
            }
        }
        if (!notIdle.isEmpty()) {
            return new Wait("waiting for " + String.join("; ", notIdle), Retry.ON_REPORT);
        }
        Instant target = null;
        Map<String, Long> idleSince = new LinkedHashMap<>();
        for (Participant p : participants.values()) {
            idleSince.put(p.name, p.idle.idleSince());
            Instant wake = p.idle.nextWake();
            if (wake != null && (target == null || wake.isBefore(target))) {
                target = wake;
            }
        }
        if (target == null && until == null) {
            return new Wait("every participant is idle and none asked for a wake: waiting for work", Retry.ON_REPORT);
        }
        Set<String> wokenFor = new TreeSet<>();
        for (Participant p : participants.values()) {
            if (target != null && target.equals(p.idle.nextWake())) {
                wokenFor.add(p.name);
            }
        }
        return new Check(new Snapshot(version, membership, epoch, idleSince, target, wokenFor));
    }

    /**
     * Decides after the checks of a {@link Check}: records the {@code sim.status} answers as
     * reports, and advances (or finishes) only if nothing changed since the snapshot, JetStream
     * was quiet and every participant of the snapshot answered idle with the {@code idleSince} it
     * had reported. An {@link Advance} has already moved this state.
     *
     * @param answers the {@code sim.status} answers that arrived within the round's timeout
     */
    public Decision decide(Snapshot snapshot, JetStreamStatus jetStream, List<StatusAnswer> answers, Instant realNow) {
        Map<String, StatusAnswer> last = new LinkedHashMap<>();
        answers(answers, snapshot.membership(), realNow);
        answers.forEach(answer -> last.put(answer.participant(), answer));
        if (version != snapshot.version() || epoch != snapshot.epoch()) {
            // someone joined, left or left idle (newer idleSince, or busy) between the reports and the check
            return new Wait("the participants changed during the check", Retry.NOW);
        }
        if (!jetStream.quiet()) {
            return new Wait("JetStream: " + String.join("; ", jetStream.holds()), Retry.POLL);
        }
        List<String> silent = new ArrayList<>();
        List<String> moved = new ArrayList<>();
        for (Map.Entry<String, Long> entry : snapshot.idleSince().entrySet()) {
            StatusAnswer answer = last.get(entry.getKey());
            Participant p = participants.get(entry.getKey());
            if (answer == null) {
                silent.add(entry.getKey());
                if (p != null && !p.unconfirmed) {
                    p.unconfirmed = true;
                    if (p.notIdleSince == null) {
                        p.notIdleSince = realNow;
                    }
                }
            } else if (!(answer instanceof StatusAnswer.Idle idle)
                    || idle.report().epoch() != snapshot.epoch() || idle.report().idleSince() != entry.getValue()) {
                moved.add(entry.getKey());
            }
        }
        if (!silent.isEmpty()) {
            return new Wait("no answer to sim.status from " + String.join(", ", silent), Retry.NOW);
        }
        if (!moved.isEmpty()) {
            // an answer that changed nothing above yet does not match the snapshot (an odd participant): look again shortly
            return new Wait("not idle as reported: " + String.join(", ", moved), Retry.POLL);
        }
        for (Participant p : participants.values()) {
            if (p.unconfirmed) {
                p.unconfirmed = false;
                p.notIdleSince = null;
                p.lastLeakReport = null;
            }
        }
        Instant target = snapshot.target();
        if (target == null) {
            return new Finish("every participant is idle and none asked for a wake before " + until);
        }
        if (until != null && target.isAfter(until)) {
            return new Finish("the next wake, " + target + ", is past " + until);
        }
        epoch++;
        if (target.isAfter(now)) {
            now = target;
        }
        version++;
        for (Participant p : participants.values()) {
            p.notIdleSince = realNow;
            p.lastLeakReport = null;
        }
        return new Advance(new SimTime(epoch, now, snapshot.wokenFor()));
    }

    /**
     * Records {@code sim.status} answers as reports, unless someone joined or left since
     * {@code membership} was read (then an answer may come from a restarted participant's earlier self).
     */
    public void answers(List<StatusAnswer> answers, long membership, Instant realNow) {
        if (membership != this.membership) {
            return;
        }
        for (StatusAnswer answer : answers) {
            if (answer instanceof StatusAnswer.Idle idle) {
                idle(idle.report(), realNow);
            } else if (answer instanceof StatusAnswer.Busy busy) {
                busy(busy.report(), realNow);
            }
        }
    }

    /**
     * The participants not idle for the current epoch for at least {@code leakAfter} of real
     * time, each reported again every {@code leakAfter} while it lasts.
     */
    public List<Leak> leaksDue(Instant realNow) {
        List<Leak> leaks = new ArrayList<>();
        for (Participant p : participants.values()) {
            if (p.notIdleSince == null) {
                continue;
            }
            Duration held = Duration.between(p.notIdleSince, realNow);
            boolean due = held.compareTo(leakAfter) >= 0
                    && (p.lastLeakReport == null || Duration.between(p.lastLeakReport, realNow).compareTo(leakAfter) >= 0);
            if (due) {
                p.lastLeakReport = realNow;
                leaks.add(new Leak(p.name, held, p.describe(epoch)));
            }
        }
        return leaks;
    }

    /** The earliest real time at which {@link #leaksDue} may report something (null: nothing is held). */
    public Instant nextLeakCheck() {
        Instant next = null;
        for (Participant p : participants.values()) {
            if (p.notIdleSince == null) {
                continue;
            }
            Instant at = p.lastLeakReport == null ? p.notIdleSince.plus(leakAfter) : p.lastLeakReport.plus(leakAfter);
            if (next == null || at.isBefore(next)) {
                next = at;
            }
        }
        return next;
    }

    private static void requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a participant needs a name");
        }
    }

    /** One participant as the controller knows it. */
    private static final class Participant {
        final String name;
        final long generation;
        /** The latest idle report (of any epoch), or null before the first. */
        SimIdle idle;
        /** The latest busy report since that idle report, or null. */
        SimBusy busy;
        /** The highest {@code idleSince} seen from this instance; lower ones are stale. */
        long highestIdleSince = -1;
        /** Real time since which it is not idle for the current epoch (null: it is). */
        Instant notIdleSince;
        /** It reported idle but missed a {@code sim.status} round. */
        boolean unconfirmed;
        Instant lastLeakReport;

        Participant(String name, long generation, Instant joinedAt) {
            this.name = name;
            this.generation = generation;
            this.notIdleSince = joinedAt;
        }

        boolean idleFor(long epoch) {
            return idle != null && busy == null && idle.epoch() == epoch;
        }

        String describe(long epoch) {
            if (busy != null) {
                return name + " (busy, " + busy.inFlight() + " in flight"
                        + (busy.holds().isEmpty() ? "" : ": " + String.join(", ", busy.holds())) + ")";
            }
            if (unconfirmed && idleFor(epoch)) {
                return name + " (reported idle but did not answer sim.status)";
            }
            if (idle == null) {
                return name + " (no idle report since it joined" + (generation > 1 ? " again" : "") + ")";
            }
            if (idle.epoch() != epoch) {
                return name + " (no idle report for epoch " + epoch + " yet)";
            }
            return name + " (idle)";
        }
    }
}
