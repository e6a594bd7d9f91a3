package orrery.sim.model;

import java.time.Duration;
import java.time.Instant;
import orrery.model.sim.SimTime;
import orrery.sim.replay.Participant;

/**
 * Who says that the simulated clock may move to the next instant. On its own the model moves as
 * soon as the network is quiet ({@link #ALONE}); joined to the suite's time controller
 * ({@code orrery-sim run}, {@code model --join <name>}) it reports idle with the next instant as its
 * wake and waits for the controller to announce it, so the model's time is the suite's.
 */
@FunctionalInterface
public interface Instants {

    /** The model's own clock: nobody else to wait for. */
    Instants ALONE = at -> { };

    /** Returns once the clock may stand at {@code at} nanoseconds from the run's start. */
    void reach(long at) throws InterruptedException;

    /** The suite's clock, through {@code participant}; the run's start is the controller's time when it joined. */
    static Instants controller(Participant participant, Instant start, Duration patience) {
        return at -> {
            Instant target = start.plusNanos(at);
            for (SimTime now = participant.time(); now.now().isBefore(target); now = participant.time()) {
                participant.idle(target);
                if (participant.awaitAfter(now.epoch(), patience) == null) {
                    throw new IllegalStateException("the time controller did not move time to " + target + " within "
                            + patience + " (is `orrery-sim run` expecting other participants that are not there?)");
                }
            }
        };
    }
}
