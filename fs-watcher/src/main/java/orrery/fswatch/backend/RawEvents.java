package orrery.fswatch.backend;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One root's raw events between the poller thread and the worker: a bounded queue, and the folders
 * to rescan instead when it was full or the kernel reported an overflow, so nothing is lost.
 */
public final class RawEvents {

    private final ArrayBlockingQueue<RawEvent> queue;
    private final Set<String> rescans = ConcurrentHashMap.newKeySet();
    private final AtomicLong overflows = new AtomicLong();

    public RawEvents(int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** Queues {@code event}; when the queue is full, {@code folder} is rescanned instead. */
    void offer(RawEvent event, String folder) {
        if (!queue.offer(event)) {
            overflow(folder);
        }
    }

    /** Events of {@code folder} were lost: it is rescanned. */
    void overflow(String folder) {
        overflows.incrementAndGet();
        rescans.add(folder);
    }

    /** The next queued event, or null. */
    public RawEvent poll() {
        return queue.poll();
    }

    /** The folders due for a rescan now (more may come while they are rescanned). */
    public List<String> rescansDue() {
        return List.copyOf(rescans);
    }

    /** {@code folder} is being rescanned: it is no longer due. */
    public void rescanning(String folder) {
        rescans.remove(folder);
    }

    /** Times events were lost and a rescan was due. */
    public long overflows() {
        return overflows.get();
    }
}
