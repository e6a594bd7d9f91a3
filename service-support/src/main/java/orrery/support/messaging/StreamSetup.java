package orrery.support.messaging;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import orrery.model.messaging.StreamSpec;
import orrery.model.messaging.Streams;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Makes sure the three streams of DESIGN.md exist ({@link Streams}), creating any that is absent
 * and leaving existing ones as they are (an operator may have tuned them). Every service runs it
 * at start-up and after each reconnect (publishers need the streams too), and each consumer before
 * it binds; it is cheap to call again (one stream info per stream).
 */
@ApplicationScoped
public class StreamSetup {

    private static final Logger LOG = Logger.getLogger(StreamSetup.class);
    private static final int NOT_FOUND = 10059;

    private final Connection connection;
    private final int replicas;
    private final long eventsMaxBytes;
    private final long dlqMaxBytes;

    @Inject
    public StreamSetup(Connection connection,
                       @ConfigProperty(name = "orrery.nats.replicas", defaultValue = "1") int replicas,
                       @ConfigProperty(name = "orrery.nats.events.max-bytes", defaultValue = "1073741824") long eventsMaxBytes,
                       @ConfigProperty(name = "orrery.nats.dlq.max-bytes", defaultValue = "268435456") long dlqMaxBytes) {
        this.connection = connection;
        this.replicas = replicas;
        this.eventsMaxBytes = eventsMaxBytes;
        this.dlqMaxBytes = dlqMaxBytes;
    }

    void atStartup(@Observes StartupEvent ignored, NatsConnectionProducer connections) {
        connections.onReconnect(this::ensureQuietly);
        ensureQuietly();
    }

    private void ensureQuietly() {
        try {
            ensureStreams();
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            LOG.warnf("could not check the JetStream streams yet (%s); trying again on reconnect and when a consumer binds",
                    e.getMessage());
        }
    }

    /** Creates whichever of the three streams is missing; throws if NATS cannot be asked. */
    public void ensureStreams() throws IOException, JetStreamApiException {
        JetStreamManagement jsm = connection.jetStreamManagement();
        for (StreamSpec spec : Streams.ALL) {
            ensure(jsm, spec);
        }
    }

    private void ensure(JetStreamManagement jsm, StreamSpec spec) throws IOException, JetStreamApiException {
        try {
            jsm.getStreamInfo(spec.name());
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != NOT_FOUND) {
                throw e;
            }
            try {
                jsm.addStream(configuration(spec));
                LOG.infof("created stream %s", spec.name());
            } catch (JetStreamApiException raced) {
                jsm.getStreamInfo(spec.name()); // another service created it meanwhile; fine if it is there now
            }
        }
    }

    StreamConfiguration configuration(StreamSpec spec) {
        return StreamConfiguration.builder()
                .name(spec.name())
                .subjects(spec.subjects())
                .retentionPolicy(spec.retention() == StreamSpec.Retention.WORK_QUEUE ? RetentionPolicy.WorkQueue : RetentionPolicy.Limits)
                .storageType(StorageType.File)
                .replicas(replicas)
                .maxAge(spec.maxAge())
                .maxBytes(maxBytes(spec))
                .duplicateWindow(spec.duplicateWindow())
                .build();
    }

    private long maxBytes(StreamSpec spec) {
        if (spec.name().equals(Streams.EVENTS.name())) {
            return eventsMaxBytes;
        }
        if (spec.name().equals(Streams.DLQ.name())) {
            return dlqMaxBytes;
        }
        return spec.maxBytes();
    }
}
