package orrery.sim.controller;

import java.util.List;

/**
 * What the JetStream check found: for every consumer of {@code TASKS} and {@code EVENTS} that has
 * messages pending or awaiting acknowledgement, one line naming it (and a line for a stream that
 * could not be read). Quiet when there is none.
 */
public record JetStreamStatus(List<String> holds) {

    public static final JetStreamStatus QUIET = new JetStreamStatus(List.of());

    public JetStreamStatus {
        holds = List.copyOf(holds);
    }

    public static JetStreamStatus holding(String... holds) {
        return new JetStreamStatus(List.of(holds));
    }

    public boolean quiet() {
        return holds.isEmpty();
    }
}
