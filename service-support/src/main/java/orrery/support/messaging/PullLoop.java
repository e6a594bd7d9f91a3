package orrery.support.messaging;

import io.nats.client.Connection;
import io.nats.client.ConsumerContext;
import io.nats.client.FetchConsumeOptions;
import io.nats.client.FetchConsumer;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import orrery.model.messaging.ConsumerSpec;
import org.jboss.logging.Logger;

/**
 * One durable pull consumer, taken on a thread of its own: bind (ensure the streams, create or
 * update the consumer), then fetch short batches for ever and handle each message to its
 * settlement before the next. Any failure (NATS gone, the consumer deleted, a call timed out)
 * unbinds; the loop binds again as soon as the connection is back. Every fetch is a fresh pull
 * that expires within seconds, so a pull request lost with a server restart cannot wedge it.
 */
public final class PullLoop {

    private static final Logger LOG = Logger.getLogger(PullLoop.class);
    private static final long FETCH_EXPIRES_MS = 3_000;
    private static final long RETRY_WAIT_MS = 500;

    /**
     * What a consumer is doing.
     *
     * @param bound          attached to its consumer and pulling
     * @param problem        why it is not bound, or null
     * @param handlerRunning how long the message in hand has been handled, or {@link Duration#ZERO}
     * @param alive          its thread runs (false only after a stop or a bug)
     */
    public record Status(String consumer, boolean bound, String problem, Duration handlerRunning, boolean alive) {
    }

    private final Connection connection;
    private final StreamSetup streams;
    private final ConsumerSpec spec;
    private final ConsumerSettings settings;
    private final Function<Message, CompletionStage<Void>> handler;
    private final Semaphore wake = new Semaphore(0);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean rebind;
    private volatile ConsumerContext context;
    private volatile String problem = "not bound yet";
    /** System.nanoTime() when the message in hand was taken, or 0: measures the process, not the domain. */
    private volatile long handlingSince;

    PullLoop(Connection connection, StreamSetup streams, ConsumerSpec spec, ConsumerSettings settings,
             Function<Message, CompletionStage<Void>> handler) {
        this.connection = connection;
        this.streams = streams;
        this.spec = spec;
        this.settings = settings;
        this.handler = handler;
        this.thread = new Thread(this::run, "orrery-consumer-" + spec.name());
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void stop() {
        running = false;
        thread.interrupt();
    }

    /** After a reconnect: the server may have come back without our consumer, so bind again. */
    void rebind() {
        rebind = true;
        // Not bound until bind() says so: readiness must not report the old binding as pulling
        // between the reconnect and the consumer's return (it went UP, DOWN, UP again).
        problem = "binding again after a reconnect";
        wake.release();
    }

    Status status() {
        long since = handlingSince;
        Duration handling = since == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - since);
        return new Status(spec.name(), context != null && problem == null, problem, handling, thread.isAlive());
    }

    private void run() {
        while (running) {
            try {
                Connection.Status status = connection.getStatus();
                if (status == Connection.Status.CLOSED) {
                    return; // the service is stopping
                }
                if (status != Connection.Status.CONNECTED) {
                    unbind("NATS is " + connection.getStatus());
                    pause();
                    continue;
                }
                if (context == null || rebind) {
                    bind();
                }
                pullOnce();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) { // every failure is recoverable here: NATS comes back, consumers are re-made
                if (!running) {
                    return;
                }
                unbind(e.getClass().getSimpleName() + ": " + e.getMessage());
                try {
                    pause();
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void bind() throws IOException, JetStreamApiException {
        rebind = false;
        streams.ensureStreams();
        connection.jetStreamManagement().addOrUpdateConsumer(spec.stream(), configuration());
        context = connection.jetStream().getConsumerContext(spec.stream(), spec.name());
        LOG.infof("consumer %s on %s is pulling", spec.name(), spec.stream());
        problem = null;
    }

    private ConsumerConfiguration configuration() {
        // No server-side back-off: a handler's retry is a NAK with its own delay, and the server
        // redelivers on its own only what nobody settled (a crash), after ack-wait.
        return ConsumerConfiguration.builder()
                .durable(spec.name())
                .filterSubject(spec.filterSubject())
                .ackPolicy(AckPolicy.Explicit)
                .ackWait(settings.ackWait())
                .maxDeliver(settings.serverMaxDeliver())
                .build();
    }

    private void pullOnce() throws Exception {
        FetchConsumeOptions options = FetchConsumeOptions.builder()
                .maxMessages(settings.batch()).expiresIn(FETCH_EXPIRES_MS).build();
        try (FetchConsumer fetch = context.fetch(options)) {
            Message message;
            while (running && (message = fetch.nextMessage()) != null) {
                handle(message);
            }
        }
    }

    private void handle(Message message) throws InterruptedException {
        if (!message.isJetStream()) {
            return; // a status message the fetch passed on
        }
        handlingSince = System.nanoTime();
        try {
            CompletableFuture<Void> settled = handler.apply(message).toCompletableFuture();
            long progressEvery = Math.max(1, settings.ackWait().toMillis() / 3);
            while (true) {
                try {
                    settled.get(progressEvery, TimeUnit.MILLISECONDS);
                    return;
                } catch (TimeoutException stillRunning) {
                    message.inProgress(); // keeps JetStream from handing it to anyone else meanwhile
                } catch (ExecutionException failed) {
                    LOG.warnf(failed.getCause(), "handling %s on %s failed before it was settled; it will be redelivered",
                            message.getSubject(), spec.name());
                    message.nakWithDelay(settings.retryDelay(message.metaData().deliveredCount()));
                    return;
                }
            }
        } finally {
            handlingSince = 0;
        }
    }

    private void unbind(String why) {
        if (problem == null) { // was pulling: say so once, not on every retry
            LOG.warnf("consumer %s on %s stopped pulling (%s); it binds again once NATS answers", spec.name(), spec.stream(), why);
        } else {
            LOG.debugf("consumer %s not bound: %s", spec.name(), why);
        }
        context = null;
        problem = why;
    }

    /** Waits briefly, or until a reconnect wakes it: transport back-off, not domain time. */
    private void pause() throws InterruptedException {
        wake.tryAcquire(RETRY_WAIT_MS, TimeUnit.MILLISECONDS);
    }
}
