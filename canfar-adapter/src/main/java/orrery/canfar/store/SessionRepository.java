package orrery.canfar.store;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/** Queries on {@link SessionEntity}; callers open the session or transaction. */
@ApplicationScoped
public class SessionRepository implements PanacheRepositoryBase<SessionEntity, String> {

    public Uni<SessionEntity> findByTask(String taskId) {
        return find("taskId", taskId).firstResult();
    }

    /** Sessions due for a look at {@code now}, earliest first. */
    public Uni<List<String>> dueIds(Instant now, int limit) {
        return find("select id from SessionEntity where nextPollAt <= ?1 order by nextPollAt", now)
                .project(String.class).page(Page.ofSize(limit)).list();
    }

    /** The earliest due time of any watched session, or null when none is watched. */
    public Uni<Instant> nextDue() {
        return find("select min(nextPollAt) from SessionEntity where nextPollAt is not null")
                .project(Instant.class).firstResult();
    }

    public Uni<List<SessionEntity>> ownedBy(String owner, String executionId, int limit) {
        if (executionId == null) {
            return find("owner", Sort.descending("createdAt"), owner).page(Page.ofSize(limit)).list();
        }
        return find("owner = ?1 and executionId = ?2", Sort.descending("createdAt"), owner, executionId)
                .page(Page.ofSize(limit)).list();
    }

    public Uni<List<DeleteTaskEntity>> openDeletes(String sessionId) {
        return DeleteTaskEntity.<DeleteTaskEntity>find("sessionId = ?1 and reported = false", sessionId).list();
    }
}
