package orrery.deps.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import orrery.deps.domain.TaskOutcome;
import orrery.model.build.BuildResult;
import orrery.model.task.TaskEvent;
import orrery.model.task.TaskState;

/**
 * A builder's report as the outcome a build run takes: the target's new hash, or why it failed,
 * with the reason and the log cut to what is kept.
 */
final class TaskReports {

    /** Longest failure reason kept from a builder's report (the rest is cut, marked with …). */
    static final int MAX_REASON = 4096;
    /** Longest end of a log kept from a builder's report (the shell builder sends at most 64 KiB). */
    static final int MAX_LOG = 64 * 1024;

    private TaskReports() {
    }

    /** The outcome of a final report of a build task. */
    static TaskOutcome outcome(TaskEvent event, ObjectMapper mapper) {
        BuildResult result = null;
        String unreadable = null;
        try {
            result = result(event, mapper);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            unreadable = "the builder's result could not be read: " + e.getMessage();
        }
        String log = result == null ? null : tail(result.log(), MAX_LOG);
        if (event.state() != TaskState.COMPLETED) {
            return TaskOutcome.failed(event.reason() != null ? head(event.reason(), MAX_REASON)
                    : "the builder reported " + event.state(), log);
        }
        if (result == null) {
            return TaskOutcome.failed(unreadable != null ? unreadable : "the builder reported no result", log);
        }
        return TaskOutcome.built(result.targetSha256(), log);
    }

    /** The report's {@code result}, or null when it has none. */
    private static BuildResult result(TaskEvent event, ObjectMapper mapper) throws JsonProcessingException {
        return event.result() == null || event.result().isNull() ? null
                : mapper.treeToValue(event.result(), BuildResult.class);
    }

    private static String head(String text, int limit) {
        return text.length() <= limit ? text : text.substring(0, limit) + "…";
    }

    private static String tail(String text, int limit) {
        return text == null || text.length() <= limit ? text : "…" + text.substring(text.length() - limit);
    }
}
