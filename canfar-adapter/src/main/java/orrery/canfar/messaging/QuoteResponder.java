package orrery.canfar.messaging;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import orrery.canfar.service.Quotes;
import orrery.model.canfar.CanfarQuoteRequest;
import orrery.model.envelope.EnvelopeCodec;
import orrery.model.messaging.MessageTypes;
import orrery.model.messaging.Subjects;
import orrery.support.messaging.NatsRequestReply;
import org.jboss.logging.Logger;

/** Answers {@code quote.canfar} (queue group {@code canfar-adapter}, so one replica answers each question). */
@ApplicationScoped
public class QuoteResponder {

    static final String QUEUE_GROUP = "canfar-adapter";
    private static final Logger LOG = Logger.getLogger(QuoteResponder.class);

    private final NatsRequestReply requests;
    private final EnvelopeCodec codec;
    private final Quotes quotes;
    private AutoCloseable serving;

    @Inject
    public QuoteResponder(NatsRequestReply requests, EnvelopeCodec codec, Quotes quotes) {
        this.requests = requests;
        this.codec = codec;
        this.quotes = quotes;
    }

    void start(@Observes StartupEvent started) {
        serving = requests.serve(Subjects.QUOTE_CANFAR, QUEUE_GROUP, MessageTypes.CANFAR_QUOTE_REPLY,
                request -> quotes.quote(codec.data(request, CanfarQuoteRequest.class)));
    }

    void stop(@Observes ShutdownEvent stopping) {
        if (serving != null) {
            try {
                serving.close();
            } catch (Exception e) {
                LOG.debugf("closing the quote.canfar subscription: %s", e.getMessage());
            }
        }
    }
}
