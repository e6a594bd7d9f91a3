package orrery.support.messaging;

import io.nats.client.Connection;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import orrery.model.messaging.ConsumerSpec;
import org.eclipse.microprofile.config.Config;

/**
 * Orrery's consumers of JetStream: each durable pull consumer a service declares runs on a thread
 * of its own ({@link PullLoop}), pulls in short batches, hands each message to
 * {@link InboundEnvelopes} one at a time, and, after any NATS failure (a restart, a lost consumer,
 * a timed-out call), binds again once the connection is back. jnats is used directly, not the
 * reactive-messaging connector: the connector's consumers ended for good on an ack that timed out
 * during a restart (docs/design-notes.md, "Consuming JetStream").
 */
@ApplicationScoped
public class DurableConsumers {

    private final Connection connection;
    private final StreamSetup streams;
    private final InboundEnvelopes inbound;
    private final NatsConnectionProducer connections;
    private final Config config;
    private final List<PullLoop> loops = new CopyOnWriteArrayList<>();

    @Inject
    public DurableConsumers(Connection connection, StreamSetup streams, InboundEnvelopes inbound, NatsConnectionProducer connections,
                            Config config) {
        this.connection = connection;
        this.streams = streams;
        this.inbound = inbound;
        this.connections = connections;
        this.config = config;
    }

    /** Starts {@code spec} with the settings configured for it ({@link #settings(String)}). */
    public void start(ConsumerSpec spec, EnvelopeHandler handler) {
        start(spec, settings(spec.name()), handler);
    }

    /**
     * A consumer's settings from configuration: {@code orrery.messaging.max-deliver} and, per
     * consumer, {@code orrery.messaging.consumers.<name>.ack-wait}, {@code .backoff} (comma-separated
     * durations), {@code .batch} and {@code .max-deliver}; {@link ConsumerSettings#defaults} for the rest.
     */
    public ConsumerSettings settings(String name) {
        String prefix = "orrery.messaging.consumers." + name + ".";
        int maxDeliver = config.getOptionalValue(prefix + "max-deliver", Integer.class)
                .orElse(config.getOptionalValue("orrery.messaging.max-deliver", Integer.class).orElse(5));
        ConsumerSettings settings = ConsumerSettings.defaults(maxDeliver);
        settings = config.getOptionalValue(prefix + "ack-wait", Duration.class).map(settings::withAckWait).orElse(settings);
        List<Duration> backoff = config.getOptionalValues(prefix + "backoff", Duration.class).orElse(List.of());
        if (!backoff.isEmpty()) {
            settings = settings.withBackoff(backoff.toArray(Duration[]::new));
        }
        return config.getOptionalValue(prefix + "batch", Integer.class).map(settings::withBatch).orElse(settings);
    }

    /** Creates (or updates) the durable consumer and starts taking its messages. */
    public void start(ConsumerSpec spec, ConsumerSettings settings, EnvelopeHandler handler) {
        PullLoop loop = new PullLoop(connection, streams, spec, settings,
                message -> inbound.process(message, settings, handler).subscribeAsCompletionStage());
        connections.onReconnect(loop::rebind);
        loops.add(loop);
        loop.start();
    }

    /** What each consumer is doing, for the health checks. */
    public List<PullLoop.Status> statuses() {
        return loops.stream().map(PullLoop::status).toList();
    }

    void stop(@Observes ShutdownEvent ignored) {
        loops.forEach(PullLoop::stop);
    }
}
