package orrery.model.staging;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * {@code tasks.staging.cancel}: stop a transfer that is under way (or not yet started) and
 * remove what it wrote. The cancelled task reports CANCELLED on its own event subject.
 *
 * <p>Send it with message id {@code <taskId>-cancel}: the command it cancels already used the
 * task id as its {@code Nats-Msg-Id}, and JetStream would drop a second message with that id.
 */
public record CancelTask(@JsonProperty(required = true) String taskId) {

    public CancelTask {
        Objects.requireNonNull(taskId, "taskId");
    }
}
