package orrery.fswatch.store;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Opens (creating when absent) the JetStream key-value buckets the fs-watcher keeps: one index per
 * root ({@code fswatch-index-<root>}) and one for roots added at run time ({@code fswatch-roots}).
 */
@ApplicationScoped
public class KvBuckets {

    static final String ROOTS = "fswatch-roots";
    private static final String INDEX_PREFIX = "fswatch-index-";
    /** JetStream's API error code for a missing stream (a bucket that does not exist yet). */
    private static final int STREAM_NOT_FOUND = 10059;

    private final Connection connection;
    private final int replicas;

    @Inject
    public KvBuckets(Connection connection, @ConfigProperty(name = "orrery.nats.replicas") int replicas) {
        this.connection = connection;
        this.replicas = replicas;
    }

    public KeyValue index(String root) {
        return open(INDEX_PREFIX + root, "file index of root " + root);
    }

    public KeyValue roots() {
        return open(ROOTS, "roots added at run time");
    }

    /** Deletes a root's index bucket, if it exists. */
    public void deleteIndex(String root) {
        try {
            connection.keyValueManagement().delete(INDEX_PREFIX + root);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
                throw new IllegalStateException("cannot delete the index of root " + root + ": " + e.getMessage(), e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Key-value keys allow few characters; paths are written as unpadded base64url. */
    static String keyOf(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The path {@link #keyOf} made {@code key} from, or null if it is not one of its keys. */
    static String pathOf(String key) {
        try {
            java.nio.charset.CharsetDecoder utf8 = java.nio.charset.StandardCharsets.UTF_8.newDecoder();
            return utf8.decode(java.nio.ByteBuffer.wrap(Base64.getUrlDecoder().decode(key))).toString();
        } catch (IllegalArgumentException | java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }

    private KeyValue open(String bucket, String description) {
        try {
            KeyValueManagement management = connection.keyValueManagement();
            try {
                management.getBucketInfo(bucket);
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
                    throw e;
                }
                management.create(KeyValueConfiguration.builder()
                        .name(bucket)
                        .description("Orrery fs-watcher: " + description)
                        .maxHistoryPerKey(1)
                        .storageType(StorageType.File)
                        .replicas(replicas)
                        .build());
            }
            return connection.keyValue(bucket);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open key-value bucket " + bucket, e);
        } catch (JetStreamApiException e) {
            throw new IllegalStateException("cannot open key-value bucket " + bucket + ": " + e.getMessage(), e);
        }
    }
}
