package orrery.support.messaging;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import orrery.support.time.WorkInFlight;
import java.time.Duration;
import java.util.function.Function;
import orrery.model.envelope.Envelope;
import orrery.model.envelope.EnvelopeCodec;
import orrery.model.envelope.EnvelopeFactory;
import orrery.model.envelope.EnvelopeFormatException;
import orrery.model.messaging.MessageTypes;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;
import org.jboss.logging.Logger;

/**
 * Core NATS request/reply with envelopes, for quick questions such as {@code quote.staging}.
 *
 * <p>A responder that cannot answer replies with an {@link MessageTypes#PROBLEM} envelope whose
 * data is a problem+json document; the requester sees it as a {@link ProblemException}. A
 * request that nobody answers in time fails with a {@link java.util.concurrent.TimeoutException}
 * or, when no responder is subscribed at all, a NATS "no responders" error: callers decide their
 * documented fallback.
 */
@ApplicationScoped
public class NatsRequestReply {

    private static final Logger LOG = Logger.getLogger(NatsRequestReply.class);

    private final Connection connection;
    private final EnvelopeCodec codec;
    private final EnvelopeFactory envelopes;
    private final SafeContexts contexts;
    private final WorkInFlight inFlight;

    @Inject
    public NatsRequestReply(Connection connection, EnvelopeCodec codec, EnvelopeFactory envelopes, SafeContexts contexts,
                            WorkInFlight inFlight) {
        this.connection = connection;
        this.codec = codec;
        this.envelopes = envelopes;
        this.contexts = contexts;
        this.inFlight = inFlight;
    }

    /** Asks {@code subject} and binds the reply's data to {@code replyType}. */
    public <T> Uni<T> request(String subject, String type, Object payload, String correlationId, Duration timeout,
                              Class<T> replyType) {
        Envelope request = envelopes.event(type, subject, correlationId, payload);
        byte[] body = codec.encode(request);
        Context caller = Vertx.currentContext();
        // Counted until the answer (or the timeout): the simulated clock waits for the responder.
        Uni<T> reply = inFlight.around("request on " + subject, () -> Uni.createFrom()
                .completionStage(() -> connection.requestWithTimeout(subject, new Headers(), body, timeout)))
                .map(message -> {
                    Envelope answer = codec.decode(message.getData());
                    envelopes.received(answer);
                    if (MessageTypes.PROBLEM.equals(answer.type())) {
                        throw new ProblemException(problem(answer));
                    }
                    return codec.data(answer, replyType);
                });
        return caller == null ? reply : reply.emitOn(task -> caller.runOnContext(ignored -> task.run()));
    }

    /**
     * Answers requests on {@code subject} (one responder of {@code queueGroup} per request). The
     * handler gets the request envelope on a safe Vert.x context and returns the reply's data.
     * Close the returned handle to stop answering.
     */
    public AutoCloseable serve(String subject, String queueGroup, String replyType,
                               Function<Envelope, Uni<?>> handler) {
        Dispatcher dispatcher = connection.createDispatcher(message -> answer(message, replyType, handler));
        dispatcher.subscribe(subject, queueGroup);
        LOG.infof("answering %s (queue group %s)", subject, queueGroup);
        return () -> connection.closeDispatcher(dispatcher);
    }

    private void answer(Message message, String replyType, Function<Envelope, Uni<?>> handler) {
        if (message.getReplyTo() == null) {
            LOG.debugf("ignoring a message on %s without a reply subject", message.getSubject());
            return;
        }
        Envelope request;
        try {
            request = codec.decode(message.getData());
        } catch (EnvelopeFormatException e) {
            reply(message, MessageTypes.PROBLEM, null,
                    Problem.of("invalid-request", 400, "The request could not be read", e.getMessage()));
            return;
        }
        envelopes.received(request);
        contexts.run(() -> handler.apply(request))
                .subscribe().with(
                        data -> reply(message, replyType, request.correlationid(), data),
                        failure -> reply(message, MessageTypes.PROBLEM, request.correlationid(), asProblem(failure)));
    }

    private void reply(Message message, String type, String correlationId, Object data) {
        Envelope answer = envelopes.event(type, message.getReplyTo(), correlationId, data);
        connection.publish(message.getReplyTo(), codec.encode(answer));
    }

    private static Problem asProblem(Throwable failure) {
        if (failure instanceof ProblemException problem) {
            return problem.problem();
        }
        if (failure instanceof EnvelopeFormatException format) {
            return Problem.of("invalid-request", 400, "The request could not be read", format.getMessage());
        }
        LOG.errorf(failure, "failed to answer a request");
        return Problem.of("internal-error", 500, "Internal error", "the responder failed: " + failure.getMessage());
    }

    private Problem problem(Envelope answer) {
        var data = answer.data();
        String type = data.path("type").asText(Problem.TYPE_PREFIX + "unknown");
        String title = data.path("title").asText("Error");
        int status = data.path("status").asInt(500);
        String detail = data.path("detail").isMissingNode() ? null : data.path("detail").asText();
        return new Problem(type, title, status, detail, null, null);
    }
}
