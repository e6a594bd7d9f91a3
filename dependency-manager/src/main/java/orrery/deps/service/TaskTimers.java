package orrery.deps.service;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import orrery.model.time.TimeSource;

/**
 * One timer per task out, so that a task no builder reports on within the task timeout counts as
 * failed. Used under {@link BuildState}'s lock.
 */
final class TaskTimers {

    private final TimeSource time;
    private final Map<String, TimeSource.Timer> timers = new HashMap<>();

    TaskTimers(TimeSource time) {
        this.time = time;
    }

    /** Calls {@code timedOut} with the task's id after {@code timeout}, unless it is cancelled first. */
    void start(String taskId, Duration timeout, Consumer<String> timedOut) {
        timers.computeIfAbsent(taskId, id -> time.scheduleAfter(timeout, () -> timedOut.accept(id)));
    }

    /** The task was reported on. */
    void cancel(String taskId) {
        TimeSource.Timer timer = timers.remove(taskId);
        if (timer != null) {
            timer.cancel();
        }
    }

    /** The task's timer went off. */
    void forget(String taskId) {
        timers.remove(taskId);
    }
}
