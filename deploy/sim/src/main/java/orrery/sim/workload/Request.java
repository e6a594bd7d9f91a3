package orrery.sim.workload;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One booking a workload makes, as the replay driver sends it to the broker: at {@code submit}
 * after the workload's start, ask for {@code cores} (and {@code memory} GB, or the broker's default
 * when null) for {@code duration}, starting in the window that opens at the submit time and is
 * {@code window} wide, with {@code data} staged first.
 *
 * @param position    where the request stands in the workload (0, 1, ...): the order the driver keeps for
 *                    requests due at the same instant, and the order of the history digest
 * @param id          the workload's own name for it (SWF job number, Batsim job id, {@code g<n>} when generated)
 * @param user        who asks (a user name; the driver signs a token for it with {@code --jwt-key})
 * @param submit      when it is asked, after the workload's start
 * @param cores       cores asked for (at least 1)
 * @param memory      memory in GB, or null for the broker's default per core
 * @param duration    how long the session is booked for (at least one second)
 * @param window      how wide the start window is (it opens at the submit time)
 * @param data        items to stage into the session folder before it starts
 * @param kind        a notebook or a headless command
 * @param cancelAfter when the user cancels, after the submit time (null: never)
 * @param runtime     how long the simulated session runs before it exits by itself (null: the adapter's model)
 * @param exitStatus  the exit status the simulated session ends with (null: the adapter's model, 0)
 * @param failStaging whether the first data item (or the notebook) fails its checks on simulated staging
 */
public record Request(int position, String id, String user, Duration submit, int cores, Integer memory, Duration duration,
                      Duration window, List<DataItem> data, Kind kind, Duration cancelAfter, Duration runtime,
                      Integer exitStatus, boolean failStaging) {

    /** What the session runs. */
    public enum Kind {
        /** {@code command}: a headless session. */
        COMMAND,
        /** {@code jupyter-notebook}: the notebook is staged and executed. */
        NOTEBOOK
    }

    /** A file to stage, by name and size in bytes (the size is its {@code checks.size}). */
    public record DataItem(String name, long size) {
        public DataItem {
            Objects.requireNonNull(name, "name");
            if (size < 0) {
                throw new IllegalArgumentException("a data item's size must not be negative, was " + size);
            }
        }
    }

    public Request {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(submit, "submit");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(kind, "kind");
        data = List.copyOf(data);
        if (position < 0) {
            throw new IllegalArgumentException("position must not be negative, was " + position);
        }
        if (submit.isNegative()) {
            throw new IllegalArgumentException("request " + id + ": the submit time must not be before the workload's start");
        }
        if (cores < 1) {
            throw new IllegalArgumentException("request " + id + ": cores must be at least 1, was " + cores);
        }
        if (memory != null && memory < 1) {
            throw new IllegalArgumentException("request " + id + ": memory must be at least 1 GB, was " + memory);
        }
        if (duration.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("request " + id + ": the duration must be at least PT1S, was " + duration);
        }
        if (window.isNegative()) {
            throw new IllegalArgumentException("request " + id + ": the window must not be negative, was " + window);
        }
        if (cancelAfter != null && cancelAfter.isNegative()) {
            throw new IllegalArgumentException("request " + id + ": the cancel time must not be before the submit time");
        }
        if (runtime != null && runtime.isNegative()) {
            throw new IllegalArgumentException("request " + id + ": the runtime must not be negative, was " + runtime);
        }
        if (exitStatus != null && (exitStatus < 0 || exitStatus > 255)) {
            throw new IllegalArgumentException("request " + id + ": the exit status must be 0 to 255, was " + exitStatus);
        }
    }

    /** Whether the user cancels it. */
    public boolean cancels() {
        return cancelAfter != null;
    }
}
