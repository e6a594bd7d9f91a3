package orrery.deps.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import orrery.deps.store.BuildRow;
import orrery.deps.store.GraphStore;
import orrery.model.envelope.EnvelopeCodec;
import org.jboss.logging.Logger;

/**
 * Builds in the database: a build is recorded when it is queued, when it starts and when it ends
 * (then with its report: steps and failures), in that order; one no longer kept in memory is read
 * back from there.
 */
@ApplicationScoped
class BuildArchive {

    private static final Logger LOG = Logger.getLogger(BuildArchive.class);

    private final GraphStore store;
    private final EnvelopeCodec codec;
    private final WriteQueue writes;

    @Inject
    BuildArchive(BuildState state, GraphStore store, EnvelopeCodec codec) {
        this.store = store;
        this.codec = codec;
        this.writes = new WriteQueue(state);
    }

    /**
     * Records {@code record} as it is now (called under the lock, which makes the copy consistent).
     * A write that fails is logged and not retried; meanwhile the build is answered from memory.
     */
    Uni<Void> save(BuildRecord record) {
        BuildView view = BuildViews.build(record);
        JsonObject report = record.isOver() ? new JsonObject(codec.mapper().convertValue(view, Map.class)) : null;
        BuildRow row = new BuildRow(record.id, view.target(), record.trigger, record.owner, record.phase.name(),
                record.createdAt, record.finishedAt, report);
        return writes.enqueue(() -> store.saveBuild(row)
                .onFailure().invoke(failure -> LOG.warnf("cannot record build %s: %s", row.id(), failure.getMessage()))
                .onFailure().recoverWithNull());
    }

    /** A build read back from the database. */
    Uni<Optional<BuildView>> find(String id) {
        return store.findBuild(id).map(row -> row.map(this::view));
    }

    private BuildView view(BuildRow row) {
        if (row.report() != null) {
            try {
                return codec.mapper().treeToValue(codec.mapper().readTree(row.report().encode()), BuildView.class)
                        .withOwner(row.owner());
            } catch (JsonProcessingException e) {
                LOG.warnf("unreadable report of build %s: %s", row.id(), e.getMessage());
            }
        }
        return new BuildView(row.id(), row.target(), row.trigger(), row.owner(), row.state(), row.createdAt(),
                row.finishedAt(), List.of(), List.of());
    }
}
