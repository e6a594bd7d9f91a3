package orrery.canfar.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import java.util.function.Supplier;

/** Reading database failures, and transactions that retry when another writer got there first. */
final class Failures {

    private static final int CONFLICT_RETRIES = 5;

    private Failures() {
    }

    /**
     * Runs {@code work} in a transaction, again (from a fresh read) when it lost an optimistic-lock
     * race: the watcher, the task consumer and the REST API all update sessions.
     */
    static <T> Uni<T> inTransaction(Supplier<Uni<T>> work) {
        return Uni.createFrom().deferred(() -> Panache.withTransaction(work))
                .onFailure(Failures::isConflict).retry().atMost(CONFLICT_RETRIES);
    }

    /** True for an optimistic-lock conflict (the row changed since it was read). */
    static boolean isConflict(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof jakarta.persistence.OptimisticLockException || t instanceof org.hibernate.StaleStateException) {
                return true;
            }
        }
        return false;
    }

    /** True when {@code failure} (or a cause) is PostgreSQL's unique_violation (SQLSTATE 23505). */
    static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.hibernate.exception.ConstraintViolationException) {
                return true;
            }
            String message = t.getMessage();
            if (message != null && (message.contains("23505") || message.contains("duplicate key"))) {
                return true;
            }
        }
        return false;
    }
}
