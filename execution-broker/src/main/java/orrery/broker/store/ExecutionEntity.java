package orrery.broker.store;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.quarkus.hibernate.reactive.panache.PanacheQuery;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import orrery.broker.domain.LatePolicy;
import orrery.broker.domain.Phase;
import org.hibernate.LockMode;

/** An offer and, once accepted, the execution it became. */
@Entity
@Table(name = "execution")
public class ExecutionEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    public UUID offerSetId;

    public String owner;

    public String name;

    @Enumerated(EnumType.STRING)
    public Phase phase;

    public String pool;

    public UUID reservationId;

    public int cores;

    public int memory;

    public Instant prepStart;

    public Instant startAt;

    @Column(name = "duration_s")
    public long durationSeconds;

    @Column(name = "prep_cost_s")
    public long prepCostSeconds;

    public String steps;

    public Instant expiresAt;

    public String reason;

    public Instant dueAt;

    @Enumerated(EnumType.STRING)
    public LatePolicy latePolicy;

    public boolean late;

    public String sessionId;

    public String connectUrl;

    public Instant startedAt;

    public Instant finishedAt;

    public long lamport;

    /** The session to run, as JSON ({@link orrery.broker.domain.SessionSpec}). */
    public String session;

    @Version
    public long version;

    public Instant createdAt;

    public Instant updatedAt;

    public Duration duration() {
        return Duration.ofSeconds(durationSeconds);
    }

    public Duration preparation() {
        return Duration.ofSeconds(prepCostSeconds);
    }

    // --- finders ---------------------------------------------------------------------------------

    /** The execution, locked for the rest of the transaction; null if there is none. */
    public static Uni<ExecutionEntity> findForUpdate(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /** The execution that owns session {@code sessionId}, locked; null if none does. */
    public static Uni<ExecutionEntity> findBySessionForUpdate(String sessionId) {
        return find("sessionId", sessionId).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /** The offers (and executions) of an offer set, earliest start first. */
    public static Uni<List<ExecutionEntity>> listByOfferSet(UUID offerSetId) {
        return list("offerSetId", Sort.by("startAt"), offerSetId);
    }

    /** The offers of the set that are still open, other than {@code id}. */
    public static Uni<List<ExecutionEntity>> listOpenSiblings(UUID offerSetId, UUID id) {
        return list("offerSetId = ?1 and id <> ?2 and phase = ?3", offerSetId, id, Phase.OFFERED);
    }

    /** {@code owner}'s executions (in {@code phase}, when given), newest first. */
    public static PanacheQuery<ExecutionEntity> findByOwner(String owner, Phase phase) {
        Sort newestFirst = Sort.descending("createdAt");
        return phase == null ? find("owner", newestFirst, owner) : find("owner = ?1 and phase = ?2", newestFirst, owner, phase);
    }

    /**
     * Up to {@code limit} executions due by {@code now}, soonest first, locked for this
     * transaction; rows another transaction holds are skipped (it is applying them). In HQL, not
     * SQL: Hibernate caches a native query's plan under a key that never matches again, so each
     * native call grows its plan cache and slows every later lookup.
     */
    public static Uni<List<ExecutionEntity>> lockDue(Instant now, int limit) {
        return Panache.getSession().chain(session -> session.createSelectionQuery(
                        "from ExecutionEntity where dueAt <= :now order by dueAt, id", ExecutionEntity.class)
                .setParameter("now", now).setMaxResults(limit).setLockMode(LockMode.UPGRADE_SKIPLOCKED).getResultList());
    }
}
