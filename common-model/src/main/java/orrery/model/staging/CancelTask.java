package orrery.model.staging;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * {@code tasks.staging.cancel}: stop a transfer that is under way (or not yet started) and
 * remove what it wrote. The cancelled task reports CANCELLED on its own event subject.
 */
public record CancelTask(@JsonProperty(required = true) String taskId) {

    public CancelTask {
        Objects.requireNonNull(taskId, "taskId");
    }
}
