package orrery.staging.messaging;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import orrery.model.envelope.EnvelopeCodec;
import orrery.model.messaging.MessageTypes;
import orrery.model.messaging.Subjects;
import orrery.model.staging.StagingQuoteRequest;
import orrery.staging.service.QuoteService;
import orrery.support.messaging.NatsRequestReply;

/** Answers {@code quote.staging} requests (one instance of the service per request). */
@ApplicationScoped
public class StagingQuoteResponder {

    private final NatsRequestReply requests;
    private final EnvelopeCodec codec;
    private final QuoteService quotes;
    private AutoCloseable subscription;

    @Inject
    public StagingQuoteResponder(NatsRequestReply requests, EnvelopeCodec codec, QuoteService quotes) {
        this.requests = requests;
        this.codec = codec;
        this.quotes = quotes;
    }

    void start(@Observes StartupEvent startup) {
        subscription = requests.serve(Subjects.QUOTE_STAGING, "staging-service", MessageTypes.STAGING_QUOTE_REPLY,
                request -> quotes.quote(codec.data(request, StagingQuoteRequest.class)));
    }

    void stop(@Observes ShutdownEvent shutdown) throws Exception {
        if (subscription != null) {
            subscription.close();
        }
    }
}
