package orrery.support.messaging;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import orrery.model.envelope.Envelope;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;
import orrery.model.messaging.ConsumerSpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** A test consumer whose behaviour is chosen by the envelope type. */
@ApplicationScoped
public class RecordingHandler {

    private final List<Envelope> handled = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final List<Boolean> safeContext = new CopyOnWriteArrayList<>();

    @ConfigProperty(name = "orrery.test.consumer")
    String consumer;
    @ConfigProperty(name = "orrery.test.filter")
    String filter;

    void start(@Observes StartupEvent ignored, DurableConsumers consumers) {
        consumers.start(new ConsumerSpec("TASKS", consumer, filter), this::handle);
    }

    private Uni<Disposition> handle(Envelope envelope, Delivery delivery) {
        int attempt = attempts.computeIfAbsent(envelope.id(), id -> new AtomicInteger()).incrementAndGet();
        safeContext.add(Vertx.currentContext() != null && VertxContextSafetyToggle.isExplicitlyMarkedAsSafe(Vertx.currentContext()));
        switch (envelope.type()) {
            case "test.fail":
                return Uni.createFrom().failure(new IllegalStateException("disk on fire"));
            case "test.reject":
                throw new ProblemException(Problem.of("bad-command", 400, "Bad command", "no such pool"));
            case "test.later":
                if (attempt == 1) {
                    return Uni.createFrom().item(Disposition.retryLater(Duration.ofMillis(200), "not visible yet"));
                }
                handled.add(envelope);
                return Uni.createFrom().item(Disposition.done());
            default:
                handled.add(envelope);
                return Uni.createFrom().item(Disposition.done());
        }
    }

    /** How many times the envelope with this id was handled to completion. */
    long timesHandled(String id) {
        return handled.stream().filter(e -> e.id().equals(id)).count();
    }

    List<Boolean> safeContexts() {
        return List.copyOf(safeContext);
    }

    int attemptsOf(String id) {
        AtomicInteger count = attempts.get(id);
        return count == null ? 0 : count.get();
    }
}
