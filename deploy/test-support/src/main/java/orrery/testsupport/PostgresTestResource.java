package orrery.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Gives a Quarkus test a fresh, empty database on a real PostgreSQL cluster. The cluster is
 * started once per test JVM (initdb is the slow part) and stopped when the JVM exits.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    private static PostgresServer cluster;

    static synchronized PostgresServer cluster() {
        if (cluster == null) {
            cluster = PostgresServer.start();
        }
        return cluster;
    }

    @Override
    public Map<String, String> start() {
        PostgresServer server = cluster();
        String database = server.createDatabase("test");
        return Map.of(
                "quarkus.datasource.jdbc.url", server.jdbcUrl(database),
                "quarkus.datasource.reactive.url", server.reactiveUrl(database),
                "quarkus.datasource.username", PostgresServer.USER,
                "quarkus.datasource.password", PostgresServer.PASSWORD);
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(cluster(),
                new TestInjector.AnnotatedAndMatchesType(InjectPostgres.class, PostgresServer.class));
    }

    @Override
    public void stop() {
        // The cluster outlives one test class; its shutdown hook stops it with the JVM.
    }
}
