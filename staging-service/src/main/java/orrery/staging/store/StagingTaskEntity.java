package orrery.staging.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One row of {@code staging_task}: a task, its state, its lease and its result. */
@Entity
@Table(name = "staging_task")
public class StagingTaskEntity extends PanacheEntityBase {

    @Id
    @Column(name = "task_id")
    public String taskId;

    public String kind;

    @Column(name = "user_name")
    public String userName;

    @Column(name = "execution_id")
    public String executionId;

    @Column(name = "item_name")
    public String itemName;

    @Column(name = "item_url")
    public String itemUrl;

    @Column(name = "expected_size")
    public Long expectedSize;

    @Column(name = "expected_md5")
    public String expectedMd5;

    @Column(name = "target_path")
    public String targetPath;

    /** The taskId a REST caller gave, if any (the row's id is derived from it and the user). */
    @Column(name = "client_task_id")
    public String clientTaskId;

    @Column(name = "correlation_id")
    public String correlationId;

    public String state;

    public long sequence;

    @Column(name = "bytes_done")
    public long bytesDone;

    @Column(name = "bytes_total")
    public Long bytesTotal;

    @Column(name = "result_size")
    public Long resultSize;

    @Column(name = "result_md5")
    public String resultMd5;

    @Column(name = "result_sha256")
    public String resultSha256;

    public Boolean transferred;

    public String reason;

    @Column(name = "final_published")
    public boolean finalPublished;

    public String owner;

    @Column(name = "lease_until")
    public Instant leaseUntil;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
