package orrery.sim.controller;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import orrery.model.messaging.Streams;

/**
 * The controller's second condition: no consumer of {@code TASKS} or {@code EVENTS} has messages
 * pending (not yet delivered) or awaiting acknowledgement (delivered, or waiting out a NAK's
 * delay). A message published just before its publisher reported idle is in the stream before
 * that report, because publishing waits for the stream's ack; so a check made after the reports
 * sees it.
 *
 * <p>The streams are read at once, each on a thread of its own: one round trip per check, not one
 * per stream.
 */
final class JetStreamWatch implements AutoCloseable {

    /** JetStream's "stream not found": a suite that has not created the stream yet has nothing in it. */
    private static final int STREAM_NOT_FOUND = 10059;
    static final List<String> STREAMS = List.of(Streams.TASKS.name(), Streams.EVENTS.name());

    private final JetStreamManagement jsm;
    private final Set<String> ignored;
    private final ExecutorService readers = Executors.newFixedThreadPool(STREAMS.size(), runnable -> {
        Thread thread = new Thread(runnable, "orrery-sim-jetstream");
        thread.setDaemon(true);
        return thread;
    });

    JetStreamWatch(Connection nats, Set<String> ignoredConsumers) throws IOException {
        this.jsm = nats.jetStreamManagement();
        this.ignored = Set.copyOf(ignoredConsumers);
    }

    /** Reads every stream's consumers at once; the holds come in the order of {@link #STREAMS}. */
    JetStreamStatus check() {
        List<CompletableFuture<List<String>>> reads = STREAMS.stream()
                .map(stream -> CompletableFuture.supplyAsync(() -> holdsOf(stream), readers)).toList();
        List<String> holds = new ArrayList<>();
        reads.forEach(read -> holds.addAll(read.join()));
        return new JetStreamStatus(holds);
    }

    private List<String> holdsOf(String stream) {
        List<String> holds = new ArrayList<>();
        try {
            for (ConsumerInfo consumer : jsm.getConsumers(stream)) {
                if (ignored.contains(consumer.getName())) {
                    continue;
                }
                long pending = consumer.getNumPending();
                long awaitingAck = consumer.getNumAckPending();
                if (pending > 0 || awaitingAck > 0) {
                    holds.add(stream + "/" + consumer.getName() + " has " + pending + " pending, "
                            + awaitingAck + " awaiting ack");
                }
            }
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
                holds.add("cannot read the consumers of " + stream + ": " + e.getMessage());
            }
        } catch (IOException | RuntimeException e) {
            holds.add("cannot read the consumers of " + stream + ": " + e.getMessage());
        }
        return holds;
    }

    @Override
    public void close() {
        readers.shutdownNow();
    }
}
