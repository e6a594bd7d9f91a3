package orrery.staging.tasks;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import orrery.model.problem.ProblemException;
import orrery.model.staging.StagingItem;
import orrery.model.staging.StagingQuote;
import orrery.model.staging.StagingQuoteRequest;
import orrery.staging.domain.Presence;
import orrery.staging.domain.QuoteCalculator;
import orrery.staging.domain.QuoteCalculator.ItemFacts;
import orrery.staging.domain.SessionPaths;
import orrery.staging.domain.SourcePolicy;
import orrery.staging.domain.StoredFile;
import orrery.staging.storage.StagingStore;
import orrery.staging.store.StagingTasks;

/**
 * Quotes staging: looks at what is already in the session folder and how fast each source host
 * has delivered, and lets {@link QuoteCalculator} do the arithmetic. Store look-ups run on a
 * small pool of their own so that quotes are not stuck behind long transfers.
 */
@ApplicationScoped
public class QuoteService {

    private final StagingStore store;
    private final SourcePolicy policy;
    private final StagingTasks tasks;
    private final QuoteCalculator calculator;
    private final ExecutorService lookups = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "staging-quote-lookup");
        thread.setDaemon(true);
        return thread;
    });

    @Inject
    public QuoteService(StagingStore store, SourcePolicy policy, StagingTasks tasks, QuoteCalculator calculator) {
        this.store = store;
        this.policy = policy;
        this.tasks = tasks;
        this.calculator = calculator;
    }

    public Uni<StagingQuote> quote(StagingQuoteRequest request) {
        SessionPaths.folder(request.user(), request.executionId());
        if (request.items().isEmpty()) {
            return Uni.createFrom().item(calculator.quote(List.of()));
        }
        List<Uni<ItemFacts>> facts = request.items().stream().map(item -> facts(request, item)).toList();
        return Uni.join().all(facts).andFailFast().map(calculator::quote);
    }

    private Uni<ItemFacts> facts(StagingQuoteRequest request, StagingItem item) {
        String path;
        SourcePolicy.Source source;
        try {
            path = SessionPaths.file(request.user(), request.executionId(), item.name());
            source = policy.check(item.url());
        } catch (ProblemException refused) {
            return Uni.createFrom().item(new ItemFacts(item, null, null, null, refused.getMessage()));
        }
        Uni<Optional<StoredFile>> stat = Uni.createFrom().completionStage(() -> CompletableFuture.supplyAsync(() -> {
            try {
                return store.stat(path);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, lookups));
        return Uni.combine().all().unis(stat, tasks.rate(source.host())).asTuple()
                .map(found -> new ItemFacts(item, Presence.of(found.getItem1(), item.checks()), source.host(),
                        found.getItem2(), null))
                .onFailure(ProblemException.class).recoverWithItem(refused ->
                        new ItemFacts(item, null, source.host(), null, refused.getMessage()));
    }

    @PreDestroy
    void close() {
        lookups.shutdownNow();
    }
}
