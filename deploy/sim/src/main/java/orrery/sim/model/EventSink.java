package orrery.sim.model;

import java.util.List;

/** Where a run's events go as they happen. */
public interface EventSink {

    /** One machine's event; events of one machine come in order. */
    void event(Event event);

    /** Whole second {@code second} of the run has been reached: the machines' state then (samples come in order). */
    void sample(int second, List<Machine> machines);
}
