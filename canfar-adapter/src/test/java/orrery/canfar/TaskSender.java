package orrery.canfar;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import orrery.model.canfar.DeleteTask;
import orrery.model.canfar.LaunchTask;
import orrery.model.canfar.SessionKind;
import orrery.model.envelope.Envelope;
import orrery.model.envelope.EnvelopeFactory;
import orrery.model.messaging.MessageTypes;
import orrery.model.messaging.Subjects;
import orrery.support.messaging.JetStreamPublisher;

/** Sends launch and delete tasks as the execution-broker does, and makes session folders to launch in. */
public final class TaskSender {

    public static final String IMAGE = "images.canfar.net/skaha/base-notebook:latest";

    private final JetStreamPublisher publisher;
    private final EnvelopeFactory envelopes;
    private final Path storageRoot;

    public TaskSender(JetStreamPublisher publisher, EnvelopeFactory envelopes, Path storageRoot) {
        this.publisher = publisher;
        this.envelopes = envelopes;
        this.storageRoot = storageRoot;
    }

    public static String id(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates {@code home/<user>/broker/<executionId>} under the storage root and returns it relative to the root. */
    public String folder(String user, String executionId) {
        String relative = "home/" + user + "/broker/" + executionId;
        try {
            Files.createDirectories(storageRoot.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return relative;
    }

    public Path absolute(String relative) {
        return storageRoot.resolve(relative).toAbsolutePath();
    }

    /** A headless launch for {@code user} running {@code cmd args} in a fresh session folder. */
    public LaunchTask headless(String user, String cmd, List<String> args, Map<String, String> env) {
        String executionId = id("exec");
        return new LaunchTask(id("launch"), executionId, user, "demo", IMAGE, SessionKind.headless, 1, 1, cmd, args, env,
                folder(user, executionId));
    }

    public Envelope launch(LaunchTask task) {
        return send(Subjects.CANFAR_LAUNCH, MessageTypes.CANFAR_LAUNCH, task.taskId(), task.executionId(), task);
    }

    public DeleteTask delete(String sessionId) {
        DeleteTask task = new DeleteTask(id("delete"), sessionId);
        send(Subjects.CANFAR_DELETE, MessageTypes.CANFAR_DELETE, task.taskId(), null, task);
        return task;
    }

    /** The same task again in a new envelope, as a broker re-sending after the duplicate window would. */
    public Envelope resend(LaunchTask task) {
        return send(Subjects.CANFAR_LAUNCH, MessageTypes.CANFAR_LAUNCH, task.taskId() + "-again", task.executionId(), task);
    }

    private Envelope send(String subject, String type, String id, String correlationId, Object task) {
        Envelope envelope = envelopes.create(id, type, subject, correlationId, task);
        publisher.publish(subject, envelope).await().atMost(Duration.ofSeconds(10));
        return envelope;
    }
}
