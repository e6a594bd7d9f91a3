package orrery.staging.backend.source;

import java.util.Map;
import java.util.Optional;
import orrery.staging.domain.SourcePolicy;

/** The fetcher of each kind of source this service reads; a kind without one is not enabled. */
public record SourceFetchers(Map<SourcePolicy.Scheme, SourceFetcher> byScheme) {

    public SourceFetchers {
        byScheme = Map.copyOf(byScheme);
    }

    public Optional<SourceFetcher> of(SourcePolicy.Scheme scheme) {
        return Optional.ofNullable(byScheme.get(scheme));
    }
}
