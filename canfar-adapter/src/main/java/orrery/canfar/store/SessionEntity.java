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
    @Column(nullable = false, unique = true)
    public String taskId;
    @Column(nullable = false)
    public String executionId;
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
    public int ramGb;
    public String cmd;
    @Column(nullable = false)
    public String argsJson = "[]";
    @Column(nullable = false)
    public String envNames = "";
    public String workdir;
    @Column(name = "until_time")
    public Instant until;
    @Column(nullable = false)
    public String backend;
    public String platformId;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public LaunchState launchState;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public SessionStatus status;
    @Enumerated(EnumType.STRING)
    public SessionStatus reportedStatus;
    public Instant startTime;
    public String connectUrl;
    public Integer exitStatus;
    public String message;
    public Instant expiryTime;
    @Column(nullable = false)
    public Instant createdAt;
    public Instant launchedAt;
    public Instant runningAt;
    public Instant endedAt;
    public Instant deleteRequestedAt;
    public Instant terminateSentAt;
    public Instant killAt;
    public Instant nextPollAt;
    public Long pollIntervalMs;
    @Version
    public long version;

    public boolean deleteRequested() {
        return deleteRequestedAt != null;
    }
}
