package orrery.sim.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import orrery.sim.workload.Request;

/**
 * What became of one request of the workload: the offer set, the accepted offer, the cancel, and
 * the execution's phase history. Filled in by the {@link Driver} (one thread at a time), read by
 * the report.
 */
public final class Booking {

    /** How the offer set came back. */
    public enum Answer {
        /** offers were made */
        YES,
        /** the broker said no, with reasons */
        NO,
        /** the request was refused (a 4xx or 5xx problem) or the broker could not be reached */
        ERROR
    }

    final Request request;
    final Instant submitAt;
    final String user;
    Answer answer;
    int offers;
    /** Why: the NO's first reason, or the problem of an ERROR or of a refused accept (as the broker said it). */
    String reason;
    UUID offerSet;
    UUID execution;
    String acceptProblem;
    int cores;
    Integer memory;
    Instant preparingStart;
    Instant start;
    Duration duration;
    Instant cancelAt;
    String cancelOutcome;
    String finalPhase;
    String finalReason;
    List<BrokerClient.PhaseChange> history = List.of();

    public Booking(Request request, Instant submitAt, String user) {
        this.request = request;
        this.submitAt = submitAt;
        this.user = user;
    }

    public Request request() {
        return request;
    }

    public Instant submitAt() {
        return submitAt;
    }

    public String user() {
        return user;
    }

    public Answer answer() {
        return answer;
    }

    public int offers() {
        return offers;
    }

    public String reason() {
        return reason;
    }

    public UUID execution() {
        return execution;
    }

    public boolean accepted() {
        return execution != null;
    }

    public String acceptProblem() {
        return acceptProblem;
    }

    public int cores() {
        return cores;
    }

    public Integer memory() {
        return memory;
    }

    public Instant preparingStart() {
        return preparingStart;
    }

    public Instant start() {
        return start;
    }

    public Duration duration() {
        return duration;
    }

    /** The booked end: start + duration (null when not accepted). */
    public Instant bookedEnd() {
        return start == null ? null : start.plus(duration);
    }

    public Instant cancelAt() {
        return cancelAt;
    }

    public String cancelOutcome() {
        return cancelOutcome;
    }

    public String finalPhase() {
        return finalPhase;
    }

    public String finalReason() {
        return finalReason;
    }

    public List<BrokerClient.PhaseChange> history() {
        return history;
    }

    /** When the execution first reached {@code phase} (null if it never did). */
    public Instant at(String phase) {
        return history.stream().filter(c -> c.phase().equals(phase)).map(BrokerClient.PhaseChange::at).findFirst().orElse(null);
    }

    /** When the session started running (the RUNNING phase). */
    public Instant runningAt() {
        return at("RUNNING");
    }

    /** When it stopped running: the first phase after RUNNING (FINISHING, or a final one). */
    public Instant runningEnd() {
        boolean running = false;
        for (BrokerClient.PhaseChange c : history) {
            if (running) {
                return c.at();
            }
            running = c.phase().equals("RUNNING");
        }
        return null;
    }

    /** When it reached its final phase. */
    public Instant finalAt() {
        return history.isEmpty() || !BrokerClient.FINAL_PHASES.contains(history.get(history.size() - 1).phase()) ? null
                : history.get(history.size() - 1).at();
    }

    /** From the request to the session's start (null if it never ran). */
    public Duration waitToStart() {
        Instant running = runningAt();
        return running == null ? null : Duration.between(submitAt, running);
    }

    /** How much later than booked the session started (negative: earlier; null if it never ran). */
    public Duration lateness() {
        Instant running = runningAt();
        return running == null || start == null ? null : Duration.between(start, running);
    }
}
