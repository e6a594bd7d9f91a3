package orrery.deps.store;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The graph and the builds in PostgreSQL, through the reactive SQL client: batched upserts write
 * a build's worth of artefacts in one round trip, and the whole graph loads in two queries, which
 * an entity per row could not do at a million artefacts. Each statement is a named constant here,
 * each query a named finder; services write no SQL.
 */
@ApplicationScoped
public class GraphStore {

    private static final String UPSERT_ARTEFACT = """
            INSERT INTO artefact (id, root, path, sha256, state, builder, recipe, rule, stale_version,
                                  last_build_id, last_task_id, last_log, failure, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
            ON CONFLICT (id) DO UPDATE SET sha256 = excluded.sha256, state = excluded.state,
                builder = excluded.builder, recipe = excluded.recipe, rule = excluded.rule,
                stale_version = excluded.stale_version, last_build_id = excluded.last_build_id,
                last_task_id = excluded.last_task_id, last_log = excluded.last_log, failure = excluded.failure,
                updated_at = excluded.updated_at""";
    private static final String DELETE_INPUTS = "DELETE FROM artefact_input WHERE artefact_id = $1";
    private static final String INSERT_INPUT = "INSERT INTO artefact_input (artefact_id, position, input_id) VALUES ($1, $2, $3)";
    private static final String SELECT_INPUTS = "SELECT artefact_id, input_id FROM artefact_input ORDER BY artefact_id, position";
    private static final String SELECT_ARTEFACTS = """
            SELECT id, root, path, sha256, state, builder, recipe, rule, stale_version,
                   last_build_id, last_task_id, last_log, failure
            FROM artefact ORDER BY root, path""";
    private static final String UPSERT_BUILD = """
            INSERT INTO build (id, target, trigger, owner, state, created_at, finished_at, report)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (id) DO UPDATE SET state = excluded.state, finished_at = excluded.finished_at,
                report = excluded.report""";
    private static final String SELECT_BUILD =
            "SELECT id, target, trigger, owner, state, created_at, finished_at, report FROM build WHERE id = $1";
    private static final String MARK_INTERRUPTED =
            "UPDATE build SET state = 'INTERRUPTED', finished_at = $1 WHERE state IN ('RUNNING', 'QUEUED')";

    private final Pool pool;

    @Inject
    public GraphStore(Pool pool) {
        this.pool = pool;
    }

    /** Writes artefacts and their inputs in one transaction. */
    public Uni<Void> save(List<ArtefactRow> rows, Instant now) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
        List<Tuple> artefacts = new ArrayList<>();
        List<Tuple> clears = new ArrayList<>();
        List<Tuple> inputs = new ArrayList<>();
        for (ArtefactRow row : rows) {
            artefacts.add(Tuple.from(new Object[] {row.id(), row.root(), row.path(), row.sha256(), row.state(),
                    row.builder(), row.recipe(), row.rule(), row.staleVersion(), row.lastBuildId(), row.lastTaskId(),
                    row.lastLog(), row.failure(), at}));
            clears.add(Tuple.of(row.id()));
            for (int i = 0; i < row.inputIds().size(); i++) {
                inputs.add(Tuple.of(row.id(), i, row.inputIds().get(i)));
            }
        }
        return pool.withTransaction(tx -> tx.preparedQuery(UPSERT_ARTEFACT).executeBatch(artefacts)
                .chain(() -> tx.preparedQuery(DELETE_INPUTS).executeBatch(clears))
                .chain(() -> insertInputs(tx, inputs)));
    }

    private static Uni<Void> insertInputs(SqlConnection tx, List<Tuple> inputs) {
        return inputs.isEmpty() ? Uni.createFrom().voidItem()
                : tx.preparedQuery(INSERT_INPUT).executeBatch(inputs).replaceWithVoid();
    }

    /** Every artefact with its inputs, by root and path. */
    public Uni<List<ArtefactRow>> loadAll() {
        return pool.query(SELECT_INPUTS).execute().map(GraphStore::inputsByArtefact)
                .chain(inputs -> pool.query(SELECT_ARTEFACTS).execute().map(result -> artefacts(result, inputs)));
    }

    private static Map<String, List<String>> inputsByArtefact(RowSet<Row> edges) {
        Map<String, List<String>> inputs = new HashMap<>();
        for (Row row : edges) {
            inputs.computeIfAbsent(row.getString(0), k -> new ArrayList<>()).add(row.getString(1));
        }
        return inputs;
    }

    private static List<ArtefactRow> artefacts(RowSet<Row> result, Map<String, List<String>> inputs) {
        List<ArtefactRow> rows = new ArrayList<>();
        for (Row row : result) {
            rows.add(new ArtefactRow(row.getString(0), row.getString(1), row.getString(2), row.getString(3),
                    row.getString(4), row.getString(5), row.getString(6), row.getString(7), row.getLong(8),
                    row.getString(9), row.getString(10), row.getString(11), row.getString(12),
                    inputs.getOrDefault(row.getString(0), List.of())));
        }
        return rows;
    }

    /** Writes a build: all of it when new, its state, end and report when known. */
    public Uni<Void> saveBuild(BuildRow build) {
        return pool.preparedQuery(UPSERT_BUILD)
                .execute(Tuple.from(new Object[] {build.id(), build.target(), build.trigger(), build.owner(), build.state(),
                        utc(build.createdAt()), utc(build.finishedAt()), build.report()}))
                .replaceWithVoid();
    }

    public Uni<Optional<BuildRow>> findBuild(String id) {
        return pool.preparedQuery(SELECT_BUILD).execute(Tuple.of(id))
                .map(rows -> {
                    var found = rows.iterator();
                    return found.hasNext() ? Optional.of(build(found.next())) : Optional.empty();
                });
    }

    private static BuildRow build(Row row) {
        OffsetDateTime finished = row.getOffsetDateTime(6);
        Object report = row.getValue(7);
        return new BuildRow(row.getString(0), row.getString(1), row.getString(2), row.getString(3), row.getString(4),
                row.getOffsetDateTime(5).toInstant(), finished == null ? null : finished.toInstant(),
                report instanceof JsonObject json ? json : null);
    }

    /** Builds that were running when the service last stopped did not finish: say so. */
    public Uni<Integer> markInterrupted(Instant now) {
        return pool.preparedQuery(MARK_INTERRUPTED).execute(Tuple.of(utc(now))).map(RowSet::rowCount);
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
