package orrery.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class WallClockInSqlTest {

    private static final Path NAME = Path.of("Example.java");

    @Test
    void noSqlInTheSuiteAsksTheDatabaseForTheTime() {
        Path root = Path.of("").toAbsolutePath().getParent().getParent(); // deploy/test-support → the repository

        assertThat(root.resolve("pom.xml")).exists();
        assertThat(WallClockInSql.findIn(root))
                .as("times are parameters from the TimeSource, never the database's clock")
                .isEmpty();
    }

    @Test
    void catchesTheClockInSqlStringsAndMigrations() {
        assertThat(WallClockInSql.inJavaStrings(NAME, "q = \"SELECT id FROM execution WHERE due_at <= now() LIMIT 20\";"))
                .singleElement().asString().contains("Example.java:1");
        assertThat(WallClockInSql.inJavaStrings(NAME, "a = \"\"\"\n  UPDATE t SET at = CURRENT_TIMESTAMP\n  \"\"\";")).hasSize(1);
        assertThat(WallClockInSql.inSql(Path.of("V9__x.sql"), "CREATE TABLE t (\n  at timestamptz DEFAULT now()\n);"))
                .singleElement().asString().contains("V9__x.sql:2");
    }

    @Test
    void letsJavaAskItsTimeSourceAndSqlMentionItInComments() {
        assertThat(WallClockInSql.inJavaStrings(NAME, "Instant at = time.now(); String s = \"due_at <= :now\";")).isEmpty();
        assertThat(WallClockInSql.inSql(Path.of("V9__x.sql"), "-- never DEFAULT now(): times come from the TimeSource\n"
                + "CREATE TABLE t (at timestamptz NOT NULL);")).isEmpty();
    }
}
