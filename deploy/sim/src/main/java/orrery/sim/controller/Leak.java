package orrery.sim.controller;

import java.time.Duration;

/**
 * A participant that has not been idle for the current epoch for {@code held} of real time, and
 * what it said it holds (its last {@code SimBusy}), for the log: the lesson of Temporal's
 * time-skipping server, whose users' bugs are leaked locks.
 */
public record Leak(String participant, Duration held, String what) {

    @Override
    public String toString() {
        return participant + " has held simulated time for " + held.toMillis() + " ms of real time: " + what;
    }
}
