package orrery.deps.service;

import io.smallrye.mutiny.subscription.MultiEmitter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One build's server-sent events: every event so far, for whoever follows later, and the
 * followers that get the live ones until the build ends. Used under {@link BuildState}'s lock; a
 * follower that goes away removes itself from any thread.
 */
final class BuildEventStream {

    private final List<BuildEventView> events = new ArrayList<>();
    private final List<MultiEmitter<? super BuildEventView>> followers = new CopyOnWriteArrayList<>();
    private boolean closed;

    void emit(BuildEventView event) {
        events.add(event);
        followers.forEach(follower -> follower.emit(event));
    }

    /** The build ended: every follower's stream ends. */
    void close() {
        closed = true;
        followers.forEach(MultiEmitter::complete);
        followers.clear();
    }

    /** Replays the events so far to {@code follower}, then keeps it for the live ones until the build ends. */
    void follow(MultiEmitter<? super BuildEventView> follower) {
        events.forEach(follower::emit);
        if (closed) {
            follower.complete();
        } else {
            followers.add(follower);
            follower.onTermination(() -> followers.remove(follower));
        }
    }
}
