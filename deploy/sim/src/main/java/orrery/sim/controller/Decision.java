package orrery.sim.controller;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import orrery.model.sim.SimTime;

/** What the controller does next, as {@link ControllerState} decides it. */
public sealed interface Decision {

    /** When a held clock should be looked at again. */
    enum Retry {
        /** Only a report (join, idle, busy, leave) can change the answer: wait for one. */
        ON_REPORT,
        /** The answer can change without a report (a JetStream consumer acknowledging): look again shortly. */
        POLL,
        /** Look again at once (the state changed while it was being checked, or a confirmation went unanswered). */
        NOW
    }

    /** Time holds; {@code why} names what it waits for. */
    record Wait(String why, Retry retry) implements Decision {
        public Wait {
            Objects.requireNonNull(why, "why");
            Objects.requireNonNull(retry, "retry");
        }
    }

    /**
     * Every participant reported idle for the current epoch: check JetStream, run a
     * {@code sim.status} round, and hand both to {@link ControllerState#decide}.
     */
    record Check(Snapshot snapshot) implements Decision {
    }

    /** Time moved: publish {@code time} on {@code sim.time}. */
    record Advance(SimTime time) implements Decision {
    }

    /** The run is over (it reached {@code --until}, or nothing is left to do before it). */
    record Finish(String why) implements Decision {
    }

    /**
     * What the checks are checked against: the state's version (and membership, see
     * {@link ControllerState#membership()}) when every participant was idle,
     * each participant's reported {@code idleSince}, where time would go (null: nobody asked
     * for a wake) and whose wake-up that is ({@code wokenFor}: announced as {@code SimTime.woken}, and
     * counted for the statistics).
     */
    record Snapshot(long version, long membership, long epoch, Map<String, Long> idleSince, Instant target,
                    Set<String> wokenFor) {
        public Snapshot {
            idleSince = Map.copyOf(idleSince);
            wokenFor = Set.copyOf(wokenFor);
        }
    }
}
