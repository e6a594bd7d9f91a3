package orrery.staging.service;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import orrery.model.problem.ProblemException;
import orrery.model.staging.StagingItem;
import orrery.model.staging.StagingQuote;
import orrery.model.staging.StagingQuoteRequest;
import orrery.staging.backend.storage.StagingStore;
import orrery.staging.domain.HostResolver;
import orrery.staging.domain.Presence;
import orrery.staging.domain.QuoteCalculator;
import orrery.staging.domain.QuoteCalculator.ItemFacts;
import orrery.staging.domain.SessionPaths;
import orrery.staging.domain.SourcePolicy;
import orrery.staging.domain.StagingRefusals;
import orrery.staging.store.TransferRates;

/**
 * Quotes staging: looks at what is already in the session folder and how fast each source host
 * has delivered, and lets {@link QuoteCalculator} do the arithmetic. Store look-ups run on a
 * small pool of their own so that quotes are not stuck behind long transfers.
 */
@ApplicationScoped
public class QuoteService {

    private final StagingStore store;
    private final SourcePolicy policy;
    private final TransferRates rates;
    private final QuoteCalculator calculator;
    private final HostResolver resolver;
    private final ExecutorService lookups = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "staging-quote-lookup");
        thread.setDaemon(true);
        return thread;
    });

    @Inject
    public QuoteService(StagingStore store, SourcePolicy policy, TransferRates rates, QuoteCalculator calculator,
                        HostResolver resolver) {
        this.store = store;
        this.policy = policy;
        this.rates = rates;
        this.calculator = calculator;
        this.resolver = resolver;
    }

    public Uni<StagingQuote> quote(StagingQuoteRequest request) {
        SessionPaths.folder(request.user(), request.executionId());
        List<Checked> checked = request.items().stream().map(item -> check(request, item)).toList();
        Set<String> hosts = checked.stream().filter(c -> c.source() != null).map(c -> c.source().host())
                .collect(Collectors.toSet());
        return rates.ofHosts(hosts).chain(known -> {
            if (checked.isEmpty()) {
                return Uni.createFrom().item(calculator.quote(List.of()));
            }
            List<Uni<ItemFacts>> facts = checked.stream().map(c -> facts(c, known)).toList();
            return Uni.join().all(facts).andFailFast().map(calculator::quote);
        });
    }

    /** An item whose name and source were checked (or refused, with the reason). */
    private record Checked(StagingItem item, String path, SourcePolicy.Source source, String error) {
    }

    private Checked check(StagingQuoteRequest request, StagingItem item) {
        try {
            return new Checked(item, SessionPaths.file(request.user(), request.executionId(), item.name()),
                    policy.check(item.url()), null);
        } catch (ProblemException refused) {
            return new Checked(item, null, null, refused.getMessage());
        }
    }

    private Uni<ItemFacts> facts(Checked checked, Map<String, Double> known) {
        StagingItem item = checked.item();
        if (checked.error() != null) {
            return Uni.createFrom().item(new ItemFacts(item, null, null, null, checked.error()));
        }
        String host = checked.source().host();
        return Uni.createFrom().completionStage(() -> CompletableFuture.supplyAsync(() -> {
                    checkAddresses(checked.source());
                    try {
                        return store.stat(checked.path());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, lookups))
                .map(found -> new ItemFacts(item, Presence.of(found, item.checks()), host, known.get(host), null))
                .onFailure(ProblemException.class).recoverWithItem(refused ->
                        new ItemFacts(item, null, host, null, refused.getMessage()));
    }

    /**
     * The address check a transfer makes when it connects, made here too, so that a quote is
     * infeasible exactly when the transfer would be refused: one resolution, every address checked.
     * Simulated transfers connect nowhere, so their quotes look no name up either.
     */
    private void checkAddresses(SourcePolicy.Source source) {
        if (source.scheme() != SourcePolicy.Scheme.HTTP || calculator.modelled()) {
            return;
        }
        try {
            policy.resolve(source.host(), resolver);
        } catch (UnknownHostException e) {
            throw StagingRefusals.disallowedSource("cannot resolve host '" + source.host() + "'; staging from it would fail");
        }
    }

    @PreDestroy
    void close() {
        lookups.shutdownNow();
    }
}
