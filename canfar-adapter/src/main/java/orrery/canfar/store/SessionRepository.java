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

    /** The session launched for {@code taskId}, or null (one session per launch task). */
    public Uni<SessionEntity> findByTask(String taskId) {
        return find("taskId", taskId).firstResult();
    }

    /** Ids of the sessions due for a look at {@code now}, earliest first, at most {@code limit}. */
    public Uni<List<String>> findDueIds(Instant now, int limit) {
        return find("select id from SessionEntity where nextPollAt <= ?1 order by nextPollAt", now)
                .project(String.class).page(Page.ofSize(limit)).list();
    }

    /** The earliest due time of any watched session, or null when none is watched. */
    public Uni<Instant> findNextDue() {
        return find("select min(nextPollAt) from SessionEntity where nextPollAt is not null")
                .project(Instant.class).firstResult();
    }

    /** {@code owner}'s sessions (of one execution when {@code executionId} is given), newest first. */
    public Uni<List<SessionEntity>> findByOwner(String owner, String executionId, int limit) {
        if (executionId == null) {
            return find("owner", Sort.descending("createdAt"), owner).page(Page.ofSize(limit)).list();
        }
        return find("owner = ?1 and executionId = ?2", Sort.descending("createdAt"), owner, executionId)
                .page(Page.ofSize(limit)).list();
    }
}
