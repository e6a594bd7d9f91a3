package orrery.canfar.service;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import orrery.canfar.AdapterTest;
import orrery.canfar.EventLog;
import orrery.canfar.TaskSender;
import orrery.model.canfar.CanfarQuote;
import orrery.model.canfar.CanfarQuoteRequest;
import orrery.model.canfar.LaunchResult;
import orrery.model.canfar.LaunchTask;
import orrery.model.canfar.SessionEvent;
import orrery.model.canfar.SessionKind;
import orrery.model.canfar.SessionStatus;
import orrery.model.messaging.MessageTypes;
import orrery.model.messaging.Subjects;
import orrery.model.task.TaskEvent;
import orrery.model.task.TaskState;
import orrery.support.messaging.NatsRequestReply;
import orrery.testsupport.JwtTestResource;
import orrery.testsupport.NatsTestResource;
import orrery.testsupport.PostgresTestResource;
import org.junit.jupiter.api.Test;

/**
 * Not a test (surefire does not pick it up by name): bench/launch-latency.sh runs it and prints
 * how long local sessions take from the launch task to COMPLETED, Running and Succeeded, and how
 * long quote.canfar takes. Figures go to target/bench/launch-latency.txt.
 */
@QuarkusTest
@WithTestResource(NatsTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
class LaunchBench extends AdapterTest {

    @Inject
    NatsRequestReply requests;

    @Test
    void measure() throws IOException {
        int sessions = Integer.getInteger("bench.sessions", 20);
        int quotes = Integer.getInteger("bench.quotes", 200);
        List<String> report = new ArrayList<>();
        report.add("canfar-adapter bench, local backend, " + Runtime.getRuntime().availableProcessors() + " cores");

        measureLaunches(sessions, report);

        List<Long> quoteTimes = new ArrayList<>();
        CanfarQuoteRequest request = new CanfarQuoteRequest(TaskSender.IMAGE, SessionKind.headless, 1, 1);
        for (int i = 0; i < quotes; i++) {
            long before = System.nanoTime();
            requests.request(Subjects.QUOTE_CANFAR, MessageTypes.CANFAR_QUOTE, request, null, Duration.ofSeconds(5),
                    CanfarQuote.class).await().atMost(Duration.ofSeconds(5));
            quoteTimes.add(System.nanoTime() - before);
        }
        report.add(figures("quote.canfar round trip   ", quoteTimes));

        Path out = Path.of("target/bench/launch-latency.txt");
        Files.createDirectories(out.getParent());
        Files.write(out, report);
    }

    private void measureLaunches(int sessions, List<String> report) {
        Map<String, Long> sent = new HashMap<>();
        List<LaunchTask> launched = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < sessions; i++) {
            LaunchTask task = tasks.headless("bench", "true", List.of(), Map.of());
            sent.put(task.taskId(), System.nanoTime());
            tasks.launch(task);
            launched.add(task);
        }
        List<Long> completed = new ArrayList<>();
        List<Long> running = new ArrayList<>();
        List<Long> succeeded = new ArrayList<>();
        Map<String, String> sessionOf = new HashMap<>();
        for (LaunchTask task : launched) {
            TaskEvent done = events.awaitTask(task.taskId(), TaskState.COMPLETED);
            completed.add(received(events, "events.task." + task.taskId(), done) - sent.get(task.taskId()));
            sessionOf.put(task.taskId(), codec.mapper().convertValue(done.result(), LaunchResult.class).sessionId());
        }
        for (LaunchTask task : launched) {
            String sessionId = sessionOf.get(task.taskId());
            SessionEvent run = events.awaitSession(sessionId, SessionStatus.Running);
            SessionEvent end = events.awaitSession(sessionId, SessionStatus.Succeeded);
            running.add(received(events, "events.session." + sessionId, run) - sent.get(task.taskId()));
            succeeded.add(received(events, "events.session." + sessionId, end) - sent.get(task.taskId()));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        report.add(String.format("%d sessions launched back to back, all ended after %.1f s (%.1f sessions/s)",
                sessions, seconds, sessions / seconds));
        report.add(figures("launch task -> COMPLETED", completed));
        report.add(figures("launch task -> Running   ", running));
        report.add(figures("launch task -> Succeeded ", succeeded));
    }

    /** When the log received the event (nanoTime), as recorded by the listener. */
    private static long received(EventLog events, String subject, Object event) {
        return events.receivedAt(subject, event);
    }

    private static String figures(String what, List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return String.format("%s  n=%d  p50=%.1f ms  p90=%.1f ms  max=%.1f ms", what, sorted.size(),
                percentile(sorted, 0.5), percentile(sorted, 0.9), sorted.get(sorted.size() - 1) / 1e6);
    }

    private static double percentile(List<Long> sorted, double p) {
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1))) / 1e6;
    }
}
