package orrery.model.envelope;

import java.util.Objects;
import java.util.UUID;
import orrery.model.time.LamportClock;
import orrery.model.time.TimeSource;

/**
 * Makes the envelopes one service sends: its name as {@code source}, the time from its
 * {@link TimeSource}, and a fresh tick of its {@link LamportClock}.
 */
public final class EnvelopeFactory {

    private final String source;
    private final TimeSource time;
    private final LamportClock clock;
    private final EnvelopeCodec codec;

    public EnvelopeFactory(String source, TimeSource time, LamportClock clock, EnvelopeCodec codec) {
        this.source = Objects.requireNonNull(source, "source");
        this.time = Objects.requireNonNull(time, "time");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    /** A new event with a random id. */
    public Envelope event(String type, String subject, String correlationId, Object data) {
        return create(UUID.randomUUID().toString(), type, subject, correlationId, data);
    }

    /**
     * An envelope with a chosen id. Commands use their task id, so that a re-publish after a
     * crash carries the same {@code Nats-Msg-Id} and JetStream drops the duplicate.
     */
    public Envelope create(String id, String type, String subject, String correlationId, Object data) {
        return new Envelope(Envelope.SPEC_VERSION, id, source, type, subject, time.now(), Envelope.JSON,
                clock.tick(), correlationId, codec.tree(data));
    }

    /** Folds a received envelope's clock into ours; returns our new clock value. */
    public long received(Envelope envelope) {
        return clock.merge(envelope.lamport());
    }

    public String source() {
        return source;
    }

    public EnvelopeCodec codec() {
        return codec;
    }
}
