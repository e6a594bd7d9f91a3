package orrery.canfar;

import static org.awaitility.Awaitility.await;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import orrery.model.canfar.SessionEvent;
import orrery.model.canfar.SessionStatus;
import orrery.model.envelope.Envelope;
import orrery.model.envelope.EnvelopeCodec;
import orrery.model.task.TaskEvent;
import orrery.model.task.TaskState;

/** Everything published on {@code events.>} while a test runs, decoded, with ways to wait for what a test expects. */
public final class EventLog implements AutoCloseable {

    public static final Duration PATIENCE = Duration.ofSeconds(30);

    private final Connection connection;
    private final EnvelopeCodec codec;
    private final Dispatcher dispatcher;
    private final List<Envelope> received = new CopyOnWriteArrayList<>();
    private final java.util.Map<String, Long> arrivals = new java.util.concurrent.ConcurrentHashMap<>();

    public EventLog(Connection connection, EnvelopeCodec codec) {
        this.connection = connection;
        this.codec = codec;
        this.dispatcher = connection.createDispatcher(message -> {
            Envelope envelope = codec.decode(message.getData());
            arrivals.putIfAbsent(envelope.id(), System.nanoTime());
            received.add(envelope);
        });
        dispatcher.subscribe("events.>");
        flush();
    }

    /** Waits until the server has the subscription (the connection may still be reconnecting after a test restarted NATS). */
    private void flush() {
        await("NATS confirms the events.> subscription").atMost(PATIENCE).ignoreExceptions().until(() -> {
            connection.flush(Duration.ofSeconds(2));
            return true;
        });
    }

    /** When (System.nanoTime) the first envelope on {@code subject} carrying {@code event} arrived. */
    public long receivedAt(String subject, Object event) {
        return received.stream().filter(e -> subject.equals(e.subject()))
                .filter(e -> event.equals(codec.data(e, event.getClass())))
                .map(e -> arrivals.get(e.id())).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + event + " on " + subject));
    }

    public List<TaskEvent> tasks(String taskId) {
        return received.stream().filter(e -> ("events.task." + taskId).equals(e.subject()))
                .map(e -> codec.data(e, TaskEvent.class)).toList();
    }

    public List<SessionEvent> sessions(String sessionId) {
        return received.stream().filter(e -> ("events.session." + sessionId).equals(e.subject()))
                .map(e -> codec.data(e, SessionEvent.class)).toList();
    }

    public List<SessionStatus> statuses(String sessionId) {
        return sessions(sessionId).stream().map(SessionEvent::status).toList();
    }

    public TaskEvent awaitTask(String taskId, TaskState state) {
        return await("task " + taskId + " " + state).atMost(PATIENCE)
                .until(() -> tasks(taskId).stream().filter(t -> t.state() == state).findFirst().orElse(null),
                        t -> t != null);
    }

    /** The first final report of the task (COMPLETED, FAILED or CANCELLED). */
    public TaskEvent awaitFinal(String taskId) {
        return await("final report of task " + taskId).atMost(PATIENCE)
                .until(() -> tasks(taskId).stream().filter(t -> t.state().isFinal()).findFirst().orElse(null),
                        t -> t != null);
    }

    public SessionEvent awaitSession(String sessionId, SessionStatus status) {
        return awaitSession(sessionId, e -> e.status() == status, status.name());
    }

    public SessionEvent awaitSession(String sessionId, Predicate<SessionEvent> wanted, String what) {
        return await("session " + sessionId + " " + what).atMost(PATIENCE)
                .until(() -> sessions(sessionId).stream().filter(wanted).findFirst().orElse(null), e -> e != null);
    }

    @Override
    public void close() {
        connection.closeDispatcher(dispatcher);
    }
}
