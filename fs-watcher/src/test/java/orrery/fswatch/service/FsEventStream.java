package orrery.fswatch.service;

import org.awaitility.Awaitility;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamSubscription;
import io.nats.client.PushSubscribeOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import orrery.model.envelope.Envelope;
import orrery.model.envelope.EnvelopeCodec;
import orrery.model.fs.FsEvent;
import orrery.model.messaging.Subjects;

/** What the EVENTS stream holds for one root, read in stream order by an ordered consumer. */
public final class FsEventStream implements AutoCloseable {

    public static final Duration PATIENCE = Duration.ofSeconds(30);

    private final Connection connection;
    private final Dispatcher dispatcher;
    private final JetStreamSubscription subscription;
    private final EnvelopeCodec codec;
    private final List<Envelope> envelopes = new CopyOnWriteArrayList<>();
    private final List<FsEvent> events = new CopyOnWriteArrayList<>();

    public FsEventStream(Connection connection, EnvelopeCodec codec, String root) throws Exception {
        this.connection = connection;
        this.codec = codec;
        this.dispatcher = connection.createDispatcher();
        this.subscription = connection.jetStream().subscribe(Subjects.fsEvents(root), dispatcher, message -> {
            Envelope envelope = codec.decode(message.getData());
            envelopes.add(envelope);
            events.add(codec.data(envelope, FsEvent.class));
        }, false, PushSubscribeOptions.builder().ordered(true).build());
    }

    public List<FsEvent> events() {
        return new ArrayList<>(events);
    }

    public List<Envelope> envelopes() {
        return new ArrayList<>(envelopes);
    }

    /** Waits for the first event that matches and returns it. */
    public FsEvent await(String what, Predicate<FsEvent> match) {
        return await(what, match, PATIENCE);
    }

    public FsEvent await(String what, Predicate<FsEvent> match, Duration patience) {
        Awaitility.await(what).atMost(patience).until(() -> events.stream().anyMatch(match));
        return events.stream().filter(match).findFirst().orElseThrow();
    }

    /** Events about {@code path}, in order. */
    public List<FsEvent> about(String path) {
        return events.stream().filter(event -> event.path().equals(path)).toList();
    }

    @Override
    public void close() {
        dispatcher.unsubscribe(subscription);
        connection.closeDispatcher(dispatcher);
    }
}
