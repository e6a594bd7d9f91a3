package orrery.model.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A service's report on one task, published on {@code events.task.<taskId>}.
 *
 * <p>{@code sequence} counts the reports of one task (1, 2, ...), so a receiver can ignore a
 * report older than one it already applied; together with the envelope's Lamport clock this
 * orders reports that race. A final report (COMPLETED, FAILED, CANCELLED) is sent again, equal,
 * when a redelivered command finds the task already done.
 *
 * @param kind the task's kind, e.g. {@code staging.transfer}, {@code canfar.launch}
 * @param progress bytes or steps done so far (RUNNING), or null
 * @param result what the task produced (COMPLETED), shaped per kind, or null
 * @param reason why it failed or was cancelled, in words a person can act on, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskEvent(
        @JsonProperty(required = true) String taskId,
        @JsonProperty(required = true) String kind,
        @JsonProperty(required = true) TaskState state,
        @JsonProperty(required = true) long sequence,
        Progress progress,
        JsonNode result,
        String reason) {

    public TaskEvent {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(state, "state");
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence starts at 1, was " + sequence);
        }
    }

    /**
     * How far a running task has got.
     *
     * @param total null when unknown
     * @param unit what is counted, e.g. {@code bytes}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Progress(long done, Long total, String unit) {
    }
}
