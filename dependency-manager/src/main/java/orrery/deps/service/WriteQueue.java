package orrery.deps.service;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;

/**
 * Database writes that land in the order they were asked for: each starts once the one before it
 * has ended, whether that succeeded or not, and whoever waits for one learns how it ended. A write
 * starts when its turn comes, not when someone subscribes to its answer, so a caller that stops
 * waiting holds nothing back. Its bookkeeping is guarded by {@link BuildState}'s lock; the writes
 * themselves run outside it, and a finished write keeps no hold on the ones before it.
 */
final class WriteQueue {

    private final BuildState state;
    private final Deque<Write> waiting = new ArrayDeque<>();
    private Write current;

    WriteQueue(BuildState state) {
        this.state = state;
    }

    /** Queues {@code work}; the answer ends as the write does. */
    Uni<Void> enqueue(Supplier<Uni<Void>> work) {
        Write write = new Write(work);
        boolean now = state.locked(() -> {
            if (current != null) {
                waiting.add(write);
                return false;
            }
            current = write;
            return true;
        });
        if (now) {
            start(write);
        }
        return write.outcome;
    }

    /** Ends once every write queued so far has ended, however it ended. */
    Uni<Void> drained() {
        Write last = state.locked(() -> waiting.isEmpty() ? current : waiting.peekLast());
        return last == null ? Uni.createFrom().voidItem() : last.outcome.onFailure().recoverWithNull();
    }

    private void start(Write write) {
        // Deferred: a write that throws instead of answering a failed Uni ends as failed, and the
        // writes behind it still run; called directly, the throw would leave the queue stuck for good.
        Uni.createFrom().<Void>deferred(write.work::get).subscribe().with(ok -> ended(write, null), failure -> ended(write, failure));
    }

    private void ended(Write write, Throwable failure) {
        Write next = state.locked(() -> {
            current = waiting.poll();
            return current;
        });
        if (next != null) {
            start(next);
        }
        write.settle(failure);
    }

    /** One write and its answer, which late subscribers get too (it is memoized, and subscribed at once). */
    private static final class Write {
        final Supplier<Uni<Void>> work;
        final Uni<Void> outcome;
        private volatile UniEmitter<? super Void> emitter;

        Write(Supplier<Uni<Void>> work) {
            this.work = work;
            this.outcome = Uni.createFrom().<Void>emitter(e -> emitter = e).memoize().indefinitely();
            outcome.subscribe().with(ok -> { }, failure -> { }); // takes the emitter now; waiters are the others
        }

        void settle(Throwable failure) {
            if (failure == null) {
                emitter.complete(null);
            } else {
                emitter.fail(failure);
            }
        }
    }
}
