package orrery.support.messaging;

import io.smallrye.mutiny.Uni;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import orrery.model.envelope.Envelope;
import orrery.model.envelope.EnvelopeCodec;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;

/**
 * A consumer's handler written as a table, message type → payload record → what to do, instead
 * of a {@code switch} in every service:
 *
 * <pre>{@code
 * consumers.start(NatsUsers.consumerNamed("staging"), EnvelopeRoutes.using(codec)
 *         .on(MessageTypes.STAGING_TRANSFER, TransferTask.class, (task, envelope) -> coordinator.acceptTransfer(task, envelope.correlationid()))
 *         .on(MessageTypes.STAGING_CANCEL, CancelTask.class, (task, envelope) -> coordinator.cancel(task.taskId(), envelope.correlationid())));
 * }</pre>
 *
 * <p>A route's {@link Uni} may yield a {@link Disposition} (used as it is) or anything else
 * (acknowledged as done). A type nobody routes is a permanent refusal naming the types that are
 * routed, so the message goes to the dead-letter stream; types on the same subjects that belong to
 * someone else can be {@link #ignore ignored} (acknowledged without a word).
 */
public final class EnvelopeRoutes implements EnvelopeHandler {

    /** What to do with one message's payload. */
    @FunctionalInterface
    public interface Route<T> {
        Uni<?> handle(T payload, Envelope envelope);
    }

    private final EnvelopeCodec codec;
    private final Map<String, Entry<?>> routes = new LinkedHashMap<>();

    private EnvelopeRoutes(EnvelopeCodec codec) {
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    public static EnvelopeRoutes using(EnvelopeCodec codec) {
        return new EnvelopeRoutes(codec);
    }

    /** Messages of {@code type} carry a {@code payloadType}; {@code route} handles them. */
    public <T> EnvelopeRoutes on(String type, Class<T> payloadType, Route<T> route) {
        routes.put(type, new Entry<>(payloadType, route));
        return this;
    }

    /** Messages of these types are someone else's: acknowledge and drop them. */
    public EnvelopeRoutes ignore(String... types) {
        for (String type : types) {
            routes.put(type, new Entry<>(null, null));
        }
        return this;
    }

    @Override
    public Uni<Disposition> handle(Envelope envelope, Delivery delivery) {
        Entry<?> entry = routes.get(envelope.type());
        if (entry == null) {
            throw new ProblemException(Problem.of("unknown-type", 400, "Unknown message type",
                    delivery.subject() + " carries " + String.join(" or ", handledTypes()) + ", not '" + envelope.type() + "'"));
        }
        return entry.handle(codec, envelope);
    }

    private Iterable<String> handledTypes() {
        return routes.entrySet().stream().filter(e -> e.getValue().route != null).map(Map.Entry::getKey).toList();
    }

    private record Entry<T>(Class<T> payloadType, Route<T> route) {

        Uni<Disposition> handle(EnvelopeCodec codec, Envelope envelope) {
            if (route == null) {
                return Uni.createFrom().item(Disposition.done());
            }
            return route.handle(codec.data(envelope, payloadType), envelope)
                    .map(result -> result instanceof Disposition disposition ? disposition : Disposition.done());
        }
    }
}
