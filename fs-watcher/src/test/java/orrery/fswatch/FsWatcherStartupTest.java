package orrery.fswatch;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import orrery.fswatch.service.WatchedTreeResource;
import orrery.testsupport.JwtTestResource;
import orrery.testsupport.NatsServiceStartupContract;
import orrery.testsupport.NatsTestResource;

/**
 * The service starts against real NATS and its readiness follows them. It shares the
 * application of the other tests with its resources: it stops and restarts them, and the classes after it
 * prove that the application came back without a restart (each boot of a test application costs about
 * 15 s of CPU). The contract also checks that
 * {@code /q/metrics} is for administrators only, with tokens from {@link JwtTestResource}.
 */
@QuarkusTest
@WithTestResource(NatsTestResource.class)
@WithTestResource(WatchedTreeResource.class)
@WithTestResource(JwtTestResource.class)
class FsWatcherStartupTest extends NatsServiceStartupContract {

    @Override
    protected String title() {
        return "Orrery fs-watcher";
    }
}
