package orrery.sim.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import orrery.model.json.Json;

/**
 * Letters as JSON over core NATS: machine {@code i} of a run listens on
 * {@code sim.model.<run>.<i>}. Every letter that arrives is decoded and handed on (to the
 * machine's queue, or to the simulated clock's collector); the count of arrivals lets the clock
 * wait for a quiet network.
 */
public final class NatsNetwork implements Network {

    private static final ObjectMapper JSON = Json.strictMapper();

    private final Connection connection;
    private final String run;
    private final Dispatcher dispatcher;
    private final Semaphore delivered = new Semaphore(0);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong undecodable = new AtomicLong();
    private long awaited;

    /**
     * Subscribes machines {@code 0 .. machines-1} of run {@code run} and hands what arrives to {@code deliver}.
     */
    public NatsNetwork(Connection connection, String run, int machines, Consumer<Letter> deliver) {
        this.connection = connection;
        this.run = run;
        this.dispatcher = connection.createDispatcher(message -> receive(message, deliver));
        for (int i = 0; i < machines; i++) {
            dispatcher.subscribe(subject(run, i));
        }
        try {
            // The subscriptions must be in place on the server before the first letter is sent.
            connection.flush(Duration.ofSeconds(10));
        } catch (TimeoutException | InterruptedException e) {
            throw new IllegalStateException("NATS did not confirm the model's subscriptions", e);
        }
    }

    /** The subject machine {@code machine} of run {@code run} listens on. */
    public static String subject(String run, int machine) {
        return "sim.model." + run + "." + machine;
    }

    private void receive(Message message, Consumer<Letter> deliver) {
        try {
            deliver.accept(JSON.readValue(message.getData(), Letter.class));
        } catch (IOException e) {
            undecodable.incrementAndGet(); // not ours: counted so that a barrier does not wait for it for ever
        } finally {
            delivered.release();
        }
    }

    @Override
    public void send(Letter letter) {
        try {
            connection.publish(subject(run, letter.to()), JSON.writeValueAsBytes(letter));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a letter could not be written as JSON", e);
        }
        sent.incrementAndGet();
    }

    @Override
    public void awaitDelivered(Duration patience) {
        long target = sent.get();
        int missing = (int) (target - awaited);
        if (missing == 0) {
            return;
        }
        try {
            connection.flushBuffer();
            if (!delivered.tryAcquire(missing, patience.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException(missing + " letters sent over NATS had not arrived after " + patience
                        + " (did NATS restart? core NATS drops the letters in flight, and a simulated run cannot go on without them; run it again)");
            }
        } catch (IOException e) {
            throw new IllegalStateException("NATS: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for letters", e);
        }
        awaited = target;
    }

    @Override
    public long sent() {
        return sent.get();
    }

    /** Messages that arrived on the run's subjects but were not letters. */
    public long undecodable() {
        return undecodable.get();
    }

    @Override
    public void close() {
        connection.closeDispatcher(dispatcher);
    }
}
