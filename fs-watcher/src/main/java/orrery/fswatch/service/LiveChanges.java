package orrery.fswatch.service;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import orrery.model.fs.FsEvent;

/**
 * The changes this watcher published, as they are acknowledged by JetStream, for readers that
 * follow a root live (the dashboard's files view: new hashes, and the lines a log file grows by).
 * No history, no replay: a reader that wants what came before lists the root's files.
 */
@ApplicationScoped
public class LiveChanges {

    private final BroadcastProcessor<FsEvent> changes = BroadcastProcessor.create();

    /**
     * Called once an event is safe in the EVENTS stream. Synchronized: acknowledgements complete on
     * several threads at once, and a processor takes one signal at a time (Reactive Streams 1.3).
     */
    synchronized void published(FsEvent event) {
        changes.onNext(event);
    }

    /** The changes of {@code root} from now on. */
    public Multi<FsEvent> of(String root) {
        return changes.filter(event -> event.root().equals(root)).onOverflow().drop();
    }
}
