package orrery.staging.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import orrery.staging.store.StagingTaskEntity;

/**
 * A staging task as the REST API shows it.
 *
 * @param id the service's id of the transfer (for REST transfers {@code rest-...}; the broker's {@code eb-...})
 * @param clientTaskId the taskId the caller gave when starting it over REST, if any
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TransferView(
        String id,
        String clientTaskId,
        String user,
        String kind,
        String executionId,
        String name,
        String url,
        String state,
        long bytesDone,
        Long bytesTotal,
        String path,
        Long size,
        String md5,
        String sha256,
        Boolean transferred,
        String reason,
        Instant created,
        Instant updated) {

    static TransferView of(StagingTaskEntity row) {
        return new TransferView(row.taskId, row.clientTaskId, row.userName, row.kind, row.executionId, row.itemName, row.itemUrl, row.state, row.bytesDone,
                row.bytesTotal, row.targetPath.isEmpty() ? null : row.targetPath, row.resultSize, row.resultMd5,
                row.resultSha256, row.transferred, row.reason, row.createdAt, row.updatedAt);
    }
}
