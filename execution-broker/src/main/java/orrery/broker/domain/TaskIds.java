package orrery.broker.domain;

/** The broker's task ids: {@code eb-<execution>-<what>}. */
public final class TaskIds {

    /** Every broker task id starts with this; reports of other services' tasks are ignored. */
    public static final String PREFIX = "eb-";

    private TaskIds() {
    }

    public static boolean isBrokers(String taskId) {
        return taskId != null && taskId.startsWith(PREFIX);
    }
}
