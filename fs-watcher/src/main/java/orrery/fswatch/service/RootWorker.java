package orrery.fswatch.service;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A root's single worker thread: everything that decides and publishes runs here, one task after
 * the other, which keeps the changes of one file in order. Once the worker has caught up (nothing
 * more queued), {@code caughtUp} runs, so queued changes go out as one batch.
 */
final class RootWorker {

    private static final Logger LOG = Logger.getLogger(RootWorker.class);

    private final String root;
    private final Runnable caughtUp;
    private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private final ExecutorService executor;
    private volatile boolean running = true;

    RootWorker(String root, Runnable caughtUp) {
        this.root = root;
        this.caughtUp = caughtUp;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, queue, runnable -> {
            Thread thread = new Thread(runnable, "fswatch-" + root);
            thread.setDaemon(true);
            return thread;
        });
    }

    boolean isRunning() {
        return running;
    }

    /** Runs {@code task} on the worker, unless the root is stopping; a failure is logged, not thrown. */
    void run(Runnable task) {
        if (!running) {
            return;
        }
        try {
            executor.execute(() -> {
                try {
                    task.run();
                    if (queue.isEmpty()) {
                        caughtUp.run();
                    }
                } catch (RuntimeException e) {
                    LOG.errorf(e, "root %s: unexpected error", root);
                }
            });
        } catch (RejectedExecutionException e) {
            // stopping
        }
    }

    /** Takes no more tasks from now on. */
    void stop() {
        running = false;
    }

    /**
     * Runs {@code last} after what is queued, then ends the thread (waiting up to 10 s for it); false when
     * it had ended already.
     */
    boolean shutDown(Runnable last) throws InterruptedException {
        try {
            executor.execute(last);
        } catch (RejectedExecutionException e) {
            return false;
        }
        executor.shutdown();
        if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
            executor.shutdownNow();
        }
        return true;
    }
}
