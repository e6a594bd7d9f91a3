package orrery.testsupport;

import org.junit.jupiter.api.Test;

/** {@link NatsServiceStartupContract} for a service that keeps state in PostgreSQL: readiness follows it too. */
public abstract class DatabaseServiceStartupContract extends NatsServiceStartupContract {

    @InjectPostgres
    protected PostgresServer postgres;

    @Override
    protected String[] readinessChecks() {
        return new String[] {"nats", "Database"};
    }

    @Test
    void readinessFollowsPostgres() {
        ServiceChecks.readinessFollowsDatabase(postgres);
    }
}
