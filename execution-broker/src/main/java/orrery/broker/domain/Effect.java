package orrery.broker.domain;

import java.time.Instant;

/**
 * What a transition asks the world to do, in order. The applier carries them out in the same
 * transaction that stores the new state (commands and events through the outbox).
 */
public sealed interface Effect {

    /** Send a command to the service that carries out a step; {@code messageId} makes re-sends harmless. */
    record Send(String messageId, String type, String subject, Object command) implements Effect {
    }

    /** Record and publish a phase (change); {@code from} is null for the first, ACCEPTED. */
    record PhaseChanged(Phase from, Phase to, String why, String sessionId) implements Effect {
    }

    /** Give the whole reservation back to the pool. */
    record ReleaseReservation() implements Effect {
    }

    /** The execution ended early: give back what is left of its reservation from {@code at}. */
    record GiveBackFrom(Instant at) implements Effect {
    }

    /** Wake the execution at {@code at} (its next time-driven transition). */
    record WakeAt(Instant at) implements Effect {
    }

    /** Nothing more is due by the clock; only reports move the execution now. */
    record NothingDue() implements Effect {
    }
}
