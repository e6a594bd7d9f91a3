package orrery.broker.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import orrery.broker.domain.QuoteCache;
import orrery.model.time.TimeSource;
import orrery.broker.config.BrokerConfig;
import orrery.broker.domain.PlannedStep;
import orrery.model.canfar.CanfarQuote;
import orrery.model.canfar.CanfarQuoteRequest;
import orrery.model.messaging.MessageTypes;
import orrery.model.messaging.Subjects;
import orrery.model.problem.ProblemException;
import orrery.model.staging.StagingItem;
import orrery.model.staging.StagingQuote;
import orrery.model.staging.StagingQuoteRequest;
import orrery.support.messaging.NatsRequestReply;
import org.jboss.logging.Logger;

/**
 * Asks the staging service ({@code quote.staging}) and the CANFAR adapter ({@code quote.canfar})
 * what preparing an execution costs. Steps: create the folder, then stage the items in parallel,
 * then start the session; the cost is the folder's plus the slowest item's plus the start-up.
 *
 * <p>Fallbacks when a service does not answer within {@code orrery.broker.offers.quote-timeout}:
 * every item costs {@code staging-fallback} (an hour: we cannot know if it is already there) and
 * the start-up costs {@code startup-fallback}; the offer then says it used them.
 */
@ApplicationScoped
public class PreparationQuotes {

    private static final Logger LOG = Logger.getLogger(PreparationQuotes.class);

    private final NatsRequestReply requests;
    private final BrokerConfig.Offers config;
    private final TimeSource time;
    private final QuoteCache<List<Object>, StagingQuote> stagingAnswers;
    private final QuoteCache<CanfarQuoteRequest, CanfarQuote> canfarAnswers;

    @Inject
    public PreparationQuotes(NatsRequestReply requests, BrokerConfig config, TimeSource time) {
        this.requests = requests;
        this.config = config.offers();
        this.time = time;
        this.stagingAnswers = new QuoteCache<>(this.config.quoteReuse(), 1000);
        this.canfarAnswers = new QuoteCache<>(this.config.quoteReuse(), 1000);
    }

    public Uni<Preparation> quote(String owner, String correlationId, OfferIntent intent) {
        StagingQuoteRequest staging = new StagingQuoteRequest(owner, correlationId, intent.items());
        CanfarQuoteRequest canfar = new CanfarQuoteRequest(intent.session().image(), intent.session().kind(),
                intent.ask().maxCores(), intent.ask().maxMemory(), intent.session().mounts());
        Uni<Answer<StagingQuote>> stagingAnswer = intent.items().isEmpty() ? Uni.createFrom().item(new Answer<>(null, null, false))
                : reused(stagingAnswers, List.of(owner, intent.items()), () -> ask(Subjects.QUOTE_STAGING, MessageTypes.STAGING_QUOTE,
                        staging, correlationId, StagingQuote.class));
        Uni<Answer<CanfarQuote>> canfarAnswer = reused(canfarAnswers, canfar, () -> ask(Subjects.QUOTE_CANFAR,
                MessageTypes.CANFAR_QUOTE, canfar, correlationId, CanfarQuote.class));
        return Uni.combine().all().unis(stagingAnswer, canfarAnswer).asTuple()
                .map(answers -> combine(intent, answers.getItem1(), answers.getItem2()));
    }

    private Preparation combine(OfferIntent intent, Answer<StagingQuote> staging, Answer<CanfarQuote> canfar) {
        List<PlannedStep> steps = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        steps.add(new PlannedStep(PlannedStep.FOLDER, null, config.folderCost(), null, null));
        Duration slowest = Duration.ZERO;
        for (int i = 0; i < intent.items().size(); i++) {
            StagingItem item = intent.items().get(i);
            Duration cost = config.stagingFallback();
            if (staging.value() != null && i < staging.value().items().size()) {
                StagingQuote.ItemQuote quote = staging.value().items().get(i);
                cost = quote.cost();
                if (quote.error() != null) {
                    problems.add("staging " + item.name() + " would fail: " + quote.error());
                }
            }
            slowest = cost.compareTo(slowest) > 0 ? cost : slowest;
            steps.add(new PlannedStep(PlannedStep.STAGE, item.name(), cost, item.url(), item.checks()));
        }
        if (staging.refused()) {
            problems.add("the staging service refused the request: " + staging.failure());
        } else if (staging.failure() != null) {
            notes.add("the staging service did not answer (" + staging.failure() + "); each item is assumed to take "
                    + config.stagingFallback());
        }
        Duration startup = config.startupFallback();
        if (canfar.value() != null) {
            startup = canfar.value().startup();
            if (!canfar.value().feasible()) {
                problems.add("the science platform cannot run this session: " + canfar.value().reason());
            }
        } else if (canfar.refused()) {
            problems.add("the CANFAR adapter refused the request: " + canfar.failure());
        } else {
            notes.add("the CANFAR adapter did not answer (" + canfar.failure() + "); session start-up is assumed to take "
                    + startup);
        }
        steps.add(new PlannedStep(PlannedStep.STARTUP, null, startup, null, null));
        Duration cost = config.folderCost().plus(slowest).plus(startup);
        return new Preparation(steps, cost, problems, notes);
    }

    /** A fresh answer to the same question if there is one; otherwise asks, and keeps a real answer (not a fallback). */
    private <K, T> Uni<Answer<T>> reused(QuoteCache<K, T> cache, K question, java.util.function.Supplier<Uni<Answer<T>>> ask) {
        Optional<T> kept = cache.get(question, time.now());
        if (kept.isPresent()) {
            return Uni.createFrom().item(new Answer<>(kept.get(), null, false));
        }
        return ask.get().invoke(answer -> {
            if (answer.value() != null) {
                cache.put(question, answer.value(), time.now());
            }
        });
    }

    private <T> Uni<Answer<T>> ask(String subject, String type, Object payload, String correlationId, Class<T> answer) {
        return requests.request(subject, type, payload, correlationId, config.quoteTimeout(), answer)
                .map(value -> new Answer<>(value, (String) null, false))
                .onFailure().recoverWithItem(failure -> {
                    String why = failure instanceof ProblemException problem ? problem.getMessage()
                            : failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
                    LOG.infof("%s not answered, using the fallback: %s", subject, why);
                    return new Answer<>(null, why, failure instanceof ProblemException);
                });
    }

    /** A quote, or why there is none; {@code refused}: the service answered with a problem. */
    private record Answer<T>(T value, String failure, boolean refused) {
    }
}
