package orrery.fswatch.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import orrery.fswatch.domain.RootSpec;
import orrery.model.envelope.EnvelopeCodec;

/**
 * Roots added or replaced through the REST API, kept in the {@code fswatch-roots} bucket so that a
 * restarted watcher (or another replica) watches them again.
 */
@ApplicationScoped
public class RuntimeRootStore {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(RuntimeRootStore.class);

    @RegisterForReflection
    public record Value(String name, String path, List<String> include, List<String> exclude, List<String> logs,
                 Duration quietPeriod, Duration maxLatency) {
    }

    private final KvBuckets buckets;
    private final ObjectMapper json;
    private volatile KeyValue kv;

    @Inject
    public RuntimeRootStore(KvBuckets buckets, EnvelopeCodec codec) {
        this.buckets = buckets;
        this.json = codec.mapper();
    }

    public void save(RootSpec spec) {
        Value value = new Value(spec.name(), spec.path().toString(), spec.include(), spec.exclude(), spec.logs(),
                spec.quietPeriod(), spec.maxLatency());
        try {
            kv().put(spec.name(), json.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JetStreamApiException e) {
            throw new IllegalStateException("cannot store root " + spec.name() + ": " + e.getMessage(), e);
        }
    }

    public void remove(String name) {
        try {
            kv().delete(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JetStreamApiException e) {
            throw new IllegalStateException("cannot remove root " + name + ": " + e.getMessage(), e);
        }
    }

    /** The stored roots, as they were given (checked again against the allow-list by the caller). */
    public List<Value> all() {
        List<Value> roots = new ArrayList<>();
        try {
            for (String key : kv().keys()) {
                KeyValueEntry entry = kv().get(key);
                if (entry != null && entry.getOperation() == KeyValueOperation.PUT) {
                    try {
                        roots.add(json.readValue(entry.getValue(), Value.class));
                    } catch (IOException | RuntimeException e) {
                        // One unreadable root must not keep the others from being watched again.
                        LOG.errorf("stored root %s is unreadable and not watched (PUT it again): %s", key,
                                e.getMessage());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JetStreamApiException e) {
            throw new IllegalStateException("cannot read the stored roots: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the stored roots", e);
        }
        return roots;
    }

    private KeyValue kv() {
        KeyValue current = kv;
        if (current == null) {
            current = buckets.roots();
            kv = current;
        }
        return current;
    }
}
