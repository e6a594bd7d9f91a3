package orrery.fswatch.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import orrery.model.fs.FsChangeKind;
import orrery.model.fs.FsEvent;
import orrery.testsupport.JwtTestResource;
import orrery.testsupport.NatsTestResource;
import org.junit.jupiter.api.Test;

/** With a raw event queue of two, a burst overflows it; rescans must still report every file exactly once. */
@QuarkusTest
@TestProfile(OverflowTest.TinyQueue.class)
@WithTestResource(NatsTestResource.class)
@WithTestResource(WatchedTreeResource.class)
@WithTestResource(JwtTestResource.class)
class OverflowTest extends WatcherTestBase {

    public static class TinyQueue implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("orrery.fswatch.queue-capacity", "2");
        }
    }

    @Test
    void aBurstThatOverflowsTheQueueIsRecoveredByRescanning() throws Exception {
        Tree tree = newTree("overflow");
        FsEventStream stream = watch(tree);

        int files = 400;
        for (int i = 0; i < files; i++) {
            tree.write("burst/" + (i % 8) + "/file-" + i + ".txt", "content " + i);
        }

        await().atMost(FsEventStream.PATIENCE).until(() -> stream.events().size() >= files);
        List<FsEvent> events = fence(tree, stream);
        Set<String> paths = new HashSet<>();
        for (FsEvent event : events) {
            assertThat(event.kind()).isEqualTo(FsChangeKind.CREATED);
            assertThat(paths.add(event.path())).as("reported once: " + event.path()).isTrue();
        }
        assertThat(paths).hasSize(files);
        long overflows = asUser().get("/api/v1/roots/" + tree.name()).then().statusCode(200)
                .extract().jsonPath().getLong("overflows");
        assertThat(overflows).as("the queue did overflow").isPositive();
    }
}
