package orrery.canfar.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import orrery.model.canfar.SessionKind;
import orrery.model.canfar.SessionStatus;

/** One session the adapter launched or refused (table {@code canfar_session}, see V2__sessions.sql). */
@Entity
@Table(name = "canfar_session")
public class SessionEntity extends PanacheEntityBase {

    /** Where the launch stands: asked for, done (the platform has the session), or refused for good. */
    public enum LaunchState {
        LAUNCHING,
        LAUNCHED,
        REFUSED
    }

    @Id
    public String id;
    @Column(name = "task_id", nullable = false, unique = true)
    public String taskId;
    @Column(name = "execution_id", nullable = false)
    public String executionId;
    @Column(name = "correlation_id")
    public String correlationId;
    @Column(nullable = false)
    public String owner;
    @Column(nullable = false)
    public String name;
    @Column(nullable = false)
    public String image;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public SessionKind kind;
    public int cores;
    @Column(name = "ram_gb")
    public int ramGb;
    public String cmd;
    @Column(name = "args_json", nullable = false)
    public String argsJson = "[]";
    @Column(name = "env_names", nullable = false)
    public String envNames = "";
    public String workdir;
    @Column(name = "until_time")
    public Instant until;
    @Column(nullable = false)
    public String backend;
    @Column(name = "platform_id")
    public String platformId;
    @Enumerated(EnumType.STRING)
    @Column(name = "launch_state", nullable = false)
    public LaunchState launchState;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public SessionStatus status;
    @Enumerated(EnumType.STRING)
    @Column(name = "reported_status")
    public SessionStatus reportedStatus;
    @Column(name = "start_time")
    public Instant startTime;
    @Column(name = "connect_url")
    public String connectUrl;
    @Column(name = "exit_status")
    public Integer exitStatus;
    public String message;
    @Column(name = "expiry_time")
    public Instant expiryTime;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
    @Column(name = "launched_at")
    public Instant launchedAt;
    @Column(name = "running_at")
    public Instant runningAt;
    @Column(name = "ended_at")
    public Instant endedAt;
    @Column(name = "delete_requested_at")
    public Instant deleteRequestedAt;
    @Column(name = "terminate_sent_at")
    public Instant terminateSentAt;
    @Column(name = "kill_at")
    public Instant killAt;
    @Column(name = "next_poll_at")
    public Instant nextPollAt;
    @Column(name = "poll_interval_ms")
    public Long pollIntervalMs;
    @Version
    public long version;

    public boolean deleteRequested() {
        return deleteRequestedAt != null;
    }
}
