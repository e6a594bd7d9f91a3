package orrery.fswatch;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import orrery.testsupport.JwtTestResource;
import orrery.testsupport.NatsServiceStartupContract;
import orrery.testsupport.NatsTestResource;
import orrery.testsupport.OwnApplication;

/**
 * The service starts against real NATS and its readiness follows them. It runs in an
 * application of its own because it stops and restarts them: in the shared application, a root
 * written just after NATS came back got a 500 ("Timeout or no response waiting for NATS JetStream
 * server") while readiness already said UP (issue 13's notes). The contract also checks that
 * {@code /q/metrics} is for administrators only, with tokens from {@link JwtTestResource}.
 */
@QuarkusTest
@TestProfile(OwnApplication.class)
@WithTestResource(NatsTestResource.class)
@WithTestResource(JwtTestResource.class)
class FsWatcherStartupTest extends NatsServiceStartupContract {

    @Override
    protected String title() {
        return "Orrery fs-watcher";
    }
}
