package orrery.canfar.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import orrery.canfar.AdapterTest;
import orrery.canfar.TaskSender;
import orrery.canfar.backend.BlockingCalls;
import orrery.canfar.backend.LaunchSpec;
import orrery.canfar.backend.local.LocalBackend;
import orrery.canfar.config.CanfarConfig;
import orrery.canfar.config.StorageConfig;
import orrery.canfar.domain.SessionIds;
import orrery.model.canfar.SessionEvent;
import orrery.model.canfar.SessionKind;
import orrery.model.canfar.SessionStatus;
import orrery.model.time.TimeSource;
import orrery.testsupport.JwtTestResource;
import orrery.testsupport.NatsTestResource;
import orrery.testsupport.PostgresTestResource;
import org.junit.jupiter.api.Test;

/**
 * A restart through the database state: a session launched by an earlier adapter (another backend
 * instance, whose process callbacks this adapter never hears) is recorded as that adapter left it,
 * running and overdue for a look. Resuming, as start-up does, picks it up from the database alone
 * and reports how it ended, with the exit status its supervisor wrote down.
 */
@QuarkusTest
@WithTestResource(NatsTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
class RestartTest extends AdapterTest {

    private static final String USER = "carol";

    @Inject
    CanfarConfig config;
    @Inject
    StorageConfig storage;
    @Inject
    BlockingCalls blocking;
    @Inject
    TimeSource time;
    @Inject
    SessionWatcher watcher;
    @Inject
    Pool database;

    @Test
    void aSessionLaunchedBeforeARestartIsWatchedToItsEnd() {
        String executionId = TaskSender.id("exec");
        String workdir = tasks.folder(USER, executionId);
        String sessionId = SessionIds.next();
        LocalBackend earlierAdapter = new LocalBackend(config, storage, blocking, time);
        earlierAdapter.launch(new LaunchSpec(sessionId, executionId, USER, "restart", TaskSender.IMAGE,
                SessionKind.headless, 1, 1, "sleep", List.of("2"), Map.of(), workdir)).await().atMost(Duration.ofSeconds(10));
        recordAsTheEarlierAdapterLeftIt(sessionId, executionId, workdir);

        given().auth().oauth2(JwtTestResource.token(USER)).get("/api/v1/sessions/{id}", sessionId).then().statusCode(200)
                .body("status", equalTo("Running"));

        watcher.resume();

        SessionEvent succeeded = events.awaitSession(sessionId, SessionStatus.Succeeded);
        assertThat(succeeded.exitStatus()).isZero();
        assertThat(succeeded.taskId()).isEqualTo("launch-" + sessionId);
        assertThat(events.statuses(sessionId)).containsExactly(SessionStatus.Succeeded);
    }

    private void recordAsTheEarlierAdapterLeftIt(String sessionId, String executionId, String workdir) {
        OffsetDateTime now = OffsetDateTime.ofInstant(time.now(), ZoneOffset.UTC);
        database.preparedQuery("""
                        INSERT INTO canfar_session (id, task_id, execution_id, owner, name, image, kind, cores, ram_gb, cmd,
                            args_json, workdir, backend, platform_id, launch_state, status, reported_status, created_at,
                            launched_at, running_at, next_poll_at, poll_interval_ms)
                        VALUES ($1, $2, $3, $4, 'restart', $5, 'headless', 1, 1, 'sleep', '["2"]', $6, 'local', $1,
                            'LAUNCHED', 'Running', 'Running', $7, $7, $7, $8, 5000)""")
                .execute(Tuple.from(List.of(sessionId, "launch-" + sessionId, executionId, USER, TaskSender.IMAGE, workdir,
                        now.minusSeconds(1), now.minusMinutes(1))))
                .await().atMost(Duration.ofSeconds(10));
    }
}
