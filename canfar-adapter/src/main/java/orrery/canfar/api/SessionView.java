package orrery.canfar.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import orrery.canfar.store.SessionEntity;
import orrery.model.canfar.SessionKind;
import orrery.model.canfar.SessionStatus;

/**
 * A session as its owner sees it.
 *
 * @param platformSessionId the platform's own id (skaha's session id; the local session id)
 * @param envNames names of the environment variables it was given (values are not kept)
 * @param deleting a delete was asked for
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SessionView(String id, String taskId, String executionId, String user, String name, String image,
                          SessionKind kind, int cores, int ram, String cmd, List<String> args, List<String> envNames,
                          String workdir, String backend, String platformSessionId, SessionStatus status,
                          Instant startTime, String connectUrl, Integer exitStatus, String message, Instant createdAt,
                          Instant endedAt, Instant expiryTime, Instant until, boolean deleting) {

    static SessionView of(SessionEntity row, List<String> args) {
        List<String> envNames = row.envNames == null || row.envNames.isEmpty() ? List.of()
                : List.of(row.envNames.split(","));
        return new SessionView(row.id, row.taskId, row.executionId, row.owner, row.name, row.image, row.kind, row.cores,
                row.ramGb, row.cmd, args, envNames, row.workdir, row.backend, row.platformId, row.status,
                row.startTime, row.connectUrl, row.exitStatus, row.message, row.createdAt, row.endedAt,
                row.expiryTime, row.until, row.deleteRequested());
    }
}
