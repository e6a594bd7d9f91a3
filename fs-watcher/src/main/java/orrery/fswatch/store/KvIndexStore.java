package orrery.fswatch.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.PublishOptions;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.KeyValueWatcher;
import io.nats.client.impl.NatsKeyValueWatchSubscription;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import orrery.fswatch.domain.IndexEntry;
import orrery.fswatch.domain.IndexStore;

/**
 * A root's index in a JetStream key-value bucket: one key per path (base64url of the path), the
 * value a small JSON document. A deleted path keeps a tombstone value rather than a KV delete
 * marker, so its revision is known and the next event of that path gets a fresh id.
 */
public final class KvIndexStore implements IndexStore {

    /** JetStream's API error code for a failed expected-last-sequence check. */
    private static final int WRONG_LAST_SEQUENCE = 10071;
    private static final long LOAD_PATIENCE_SECONDS = 120;
    /** Path keys are base64url, which has no '.', so this key never meets a path. */
    static final String GENERATION_KEY = "meta.generation";
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(KvIndexStore.class);

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Value(String path, Long size, Long mtime, Long inode, String sha256, Boolean deleted) {
    }

    private final Connection connection;
    private final Supplier<KeyValue> opener;
    private final ObjectMapper json;
    private volatile KeyValue bucket;
    private volatile JetStream jetStream;

    /** {@code opener} is called on first use, so a watcher can start before NATS is reachable and retry. */
    public KvIndexStore(Connection connection, Supplier<KeyValue> opener, ObjectMapper json) {
        this.connection = connection;
        this.opener = opener;
        this.json = json;
    }

    @Override
    public String load(Consumer<IndexEntry> entries, BiConsumer<String, Long> tombstones) {
        Loader loader = new Loader(entries, tombstones);
        NatsKeyValueWatchSubscription subscription = null;
        try {
            subscription = kv().watchAll(loader);
            if (!loader.done.await(LOAD_PATIENCE_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("loading the index from " + kv().getBucketName() + " timed out");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JetStreamApiException e) {
            throw new IllegalStateException("cannot read " + kv().getBucketName() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading " + kv().getBucketName(), e);
        } finally {
            if (subscription != null) {
                subscription.unsubscribe();
            }
        }
        return generation();
    }

    /** Hands every stored entry and tombstone on while the bucket is read through; done at its end. */
    private final class Loader implements KeyValueWatcher {

        private final Consumer<IndexEntry> entries;
        private final BiConsumer<String, Long> tombstones;
        private final CountDownLatch done = new CountDownLatch(1);

        Loader(Consumer<IndexEntry> entries, BiConsumer<String, Long> tombstones) {
            this.entries = entries;
            this.tombstones = tombstones;
        }

        @Override
        public void watch(KeyValueEntry entry) {
            if (entry.getOperation() != KeyValueOperation.PUT || entry.getKey().equals(GENERATION_KEY)) {
                return;
            }
            try {
                Value stored = json.readValue(entry.getValue(), Value.class);
                if (Boolean.TRUE.equals(stored.deleted())) {
                    tombstones.accept(stored.path(), entry.getRevision());
                } else {
                    entries.accept(toEntry(stored, entry.getRevision()));
                }
            } catch (IOException | RuntimeException e) {
                unreadable(entry, e);
            }
        }

        // One bad entry must not keep the whole root from starting: it counts as a deleted entry (its revision
        // kept, so the next write replaces it), and the first scan hashes the file and publishes it again if it
        // is there: an extra event, nothing lost.
        private void unreadable(KeyValueEntry entry, Exception e) {
            LOG.errorf("unreadable index entry %s in %s, taken as unknown: %s", entry.getKey(), kv().getBucketName(),
                    e.getMessage());
            String path = KvBuckets.pathOf(entry.getKey());
            if (path != null) {
                tombstones.accept(path, entry.getRevision());
            }
        }

        @Override
        public void endOfData() {
            done.countDown();
        }
    }

    private String generation() {
        try {
            KeyValueEntry stored = kv().get(GENERATION_KEY);
            if (stored != null && stored.getOperation() == KeyValueOperation.PUT) {
                return stored.getValueAsString();
            }
            String fresh = UUID.randomUUID().toString();
            try {
                kv().create(GENERATION_KEY, fresh.getBytes(StandardCharsets.UTF_8));
                return fresh;
            } catch (JetStreamApiException e) {
                // Another watcher made it first.
                return kv().get(GENERATION_KEY).getValueAsString();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JetStreamApiException e) {
            throw new IllegalStateException("cannot read the generation of " + kv().getBucketName(), e);
        }
    }

    @Override
    public CompletableFuture<Long> write(IndexEntry entry, long expectedRevision) {
        String path = entry.path();
        return update(path, encode(path, entry), expectedRevision);
    }

    /**
     * The stored JSON of an entry, written by hand (the same document Jackson writes for {@link Value}, which
     * reads it back): this runs once per file of a first scan, where binding a record costs more than the rest.
     */
    static byte[] encode(String path, IndexEntry entry) {
        StringBuilder json = new StringBuilder(96 + path.length());
        json.append("{\"path\":\"");
        JsonStringEncoder.getInstance().quoteAsString(path, json);
        json.append("\",\"size\":").append(entry.size()).append(",\"mtime\":").append(entry.mtimeNanos())
                .append(",\"inode\":").append(entry.inode());
        String sha256 = entry.sha256();
        if (sha256 != null) {
            json.append(",\"sha256\":\"").append(sha256).append('"');
        }
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public CompletableFuture<Long> delete(String path, long expectedRevision) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(new Value(path, null, null, null, null, true));
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        return update(path, body, expectedRevision);
    }

    @Override
    public Stored read(String path) {
        try {
            KeyValueEntry entry = kv().get(KvBuckets.keyOf(path));
            if (entry == null || entry.getOperation() != KeyValueOperation.PUT) {
                return new Stored(null, entry == null ? 0 : entry.getRevision());
            }
            Value stored;
            try {
                stored = json.readValue(entry.getValue(), Value.class);
            } catch (IOException | RuntimeException e) {
                LOG.errorf("unreadable index entry of %s in %s, taken as unknown: %s", path, kv().getBucketName(),
                        e.getMessage());
                return new Stored(null, entry.getRevision());
            }
            return Boolean.TRUE.equals(stored.deleted()) ? new Stored(null, entry.getRevision())
                    : new Stored(toEntry(stored, entry.getRevision()), entry.getRevision());
        } catch (JetStreamApiException e) {
            throw new IllegalStateException("cannot read the index entry of " + path + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // A key-value put is a publish to $KV.<bucket>.<key>; sent asynchronously so that many writes
    // are in flight at once, with the expected revision as JetStream's last-subject-sequence check.
    private CompletableFuture<Long> update(String path, byte[] body, long expectedRevision) {
        String subject = "$KV." + kv().getBucketName() + "." + KvBuckets.keyOf(path);
        PublishOptions options = PublishOptions.builder().expectedLastSubjectSequence(expectedRevision).build();
        return jetStream().publishAsync(subject, body, options).handle((ack, error) -> {
            if (error == null) {
                return ack.getSeqno();
            }
            Throwable cause = error;
            while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof JetStreamApiException api && api.getApiErrorCode() == WRONG_LAST_SEQUENCE) {
                return -1L;
            }
            throw new IllegalStateException("cannot store the index entry of " + path + ": " + cause.getMessage(), cause);
        });
    }

    private JetStream jetStream() {
        JetStream current = jetStream;
        if (current == null) {
            try {
                current = connection.jetStream();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            jetStream = current;
        }
        return current;
    }

    private KeyValue kv() {
        KeyValue current = bucket;
        if (current == null) {
            current = opener.get();
            bucket = current;
        }
        return current;
    }

    private static IndexEntry toEntry(Value stored, long revision) {
        return new IndexEntry(stored.path(), stored.size(), stored.mtime(), stored.inode(), stored.sha256(), revision);
    }
}
