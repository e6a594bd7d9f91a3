package orrery.broker.domain;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Where an offer or execution stands. The happy path is
 * {@code OFFERED → ACCEPTED → PREPARING → WAITING → RUNNING → FINISHING → COMPLETED}; an offer can
 * also end REJECTED or EXPIRED, and an execution CANCELLED or FAILED.
 */
public enum Phase {
    OFFERED,
    ACCEPTED,
    PREPARING,
    WAITING,
    RUNNING,
    FINISHING,
    COMPLETED,
    REJECTED,
    EXPIRED,
    CANCELLED,
    FAILED;

    private static final Map<Phase, Set<Phase>> NEXT = Map.ofEntries(
            Map.entry(OFFERED, EnumSet.of(ACCEPTED, REJECTED, EXPIRED)),
            Map.entry(ACCEPTED, EnumSet.of(PREPARING, CANCELLED, FAILED)),
            Map.entry(PREPARING, EnumSet.of(WAITING, RUNNING, CANCELLED, FAILED)),
            Map.entry(WAITING, EnumSet.of(RUNNING, CANCELLED, FAILED)),
            Map.entry(RUNNING, EnumSet.of(FINISHING, CANCELLED, FAILED)),
            Map.entry(FINISHING, EnumSet.of(COMPLETED, FAILED)),
            Map.entry(COMPLETED, EnumSet.noneOf(Phase.class)),
            Map.entry(REJECTED, EnumSet.noneOf(Phase.class)),
            Map.entry(EXPIRED, EnumSet.noneOf(Phase.class)),
            Map.entry(CANCELLED, EnumSet.noneOf(Phase.class)),
            Map.entry(FAILED, EnumSet.noneOf(Phase.class)));

    public boolean canBecome(Phase next) {
        return NEXT.get(this).contains(next);
    }

    public boolean isFinal() {
        return NEXT.get(this).isEmpty();
    }

    /** Still an offer, not (yet) an execution. */
    public boolean isOffer() {
        return this == OFFERED || this == REJECTED || this == EXPIRED;
    }
}
