package orrery.canfar;

import io.nats.client.Connection;
import jakarta.inject.Inject;
import java.nio.file.Path;
import orrery.model.canfar.LaunchResult;
import orrery.model.canfar.LaunchTask;
import orrery.model.envelope.EnvelopeCodec;
import orrery.model.envelope.EnvelopeFactory;
import orrery.model.task.TaskEvent;
import orrery.model.task.TaskState;
import orrery.support.messaging.JetStreamPublisher;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the adapter's Quarkus tests share: they talk to it as the execution-broker does, sending
 * tasks ({@link #tasks}) and listening to everything on {@code events.>} ({@link #events}).
 */
public abstract class AdapterTest {

    @Inject
    protected Connection connection;
    @Inject
    protected EnvelopeCodec codec;
    @Inject
    protected EnvelopeFactory envelopes;
    @Inject
    protected JetStreamPublisher publisher;
    @ConfigProperty(name = "orrery.storage.root")
    protected Path storageRoot;

    protected EventLog events;
    protected TaskSender tasks;

    @BeforeEach
    void listen() {
        events = new EventLog(connection, codec);
        tasks = new TaskSender(publisher, envelopes, storageRoot);
    }

    @AfterEach
    void stopListening() {
        if (events != null) {
            events.close();
        }
    }

    /** The session the launch made, once it is reported COMPLETED. */
    protected String sessionOf(LaunchTask task) {
        TaskEvent completed = events.awaitFinal(task.taskId());
        assertThat(completed.state()).as("launch %s: %s", task.taskId(), completed.reason()).isEqualTo(TaskState.COMPLETED);
        return codec.mapper().convertValue(completed.result(), LaunchResult.class).sessionId();
    }
}
