package orrery.sim.controller;

import java.util.Objects;
import orrery.model.sim.SimBusy;
import orrery.model.sim.SimIdle;

/** One participant's answer in a {@code sim.status} round: {@link SimIdle} or {@link SimBusy}. */
public sealed interface StatusAnswer {

    String participant();

    record Idle(SimIdle report) implements StatusAnswer {
        public Idle {
            Objects.requireNonNull(report, "report");
        }

        @Override
        public String participant() {
            return report.participant();
        }
    }

    record Busy(SimBusy report) implements StatusAnswer {
        public Busy {
            Objects.requireNonNull(report, "report");
        }

        @Override
        public String participant() {
            return report.participant();
        }
    }

    static StatusAnswer of(SimIdle report) {
        return new Idle(report);
    }

    static StatusAnswer of(SimBusy report) {
        return new Busy(report);
    }
}
