package orrery.canfar.domain;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import orrery.model.canfar.LaunchTask;
import orrery.model.canfar.SessionKind;
import orrery.model.problem.ProblemException;
import org.junit.jupiter.api.Test;

class LaunchRulesTest {

    private final LaunchRules rules = new LaunchRules(new ImageAllowList(List.of("images.canfar.net/")));

    private static LaunchTask task(String user, String name, String image, SessionKind kind, int cores, int ram, String cmd,
                                   List<String> args, Map<String, String> env) {
        return new LaunchTask("t1", "e1", user, name, image, kind, cores, ram, cmd, args, env, "home/alice/broker/e1");
    }

    private static LaunchTask good() {
        return task("alice", "demo-1", "images.canfar.net/skaha/terminal:1.1.2", SessionKind.headless, 2, 4, "python3",
                List.of("run.py", "--fast"), Map.of("MODE", "quick"));
    }

    @Test
    void aSoundLaunchPasses() {
        assertThatCode(() -> rules.check(good())).doesNotThrowAnyException();
    }

    @Test
    void refusesEachKindOfBadFieldNamingIt() {
        LaunchTask g = good();
        assertRefused(task(g.user(), " ", g.image(), g.kind(), 1, 1, g.cmd(), g.args(), g.env()), "name");
        assertRefused(task(g.user(), "x".repeat(129), g.image(), g.kind(), 1, 1, g.cmd(), g.args(), g.env()), "name");
        assertRefused(task(g.user(), "two\nlines", g.image(), g.kind(), 1, 1, g.cmd(), g.args(), g.env()), "name");
        assertRefused(task("no/slash", g.name(), g.image(), g.kind(), 1, 1, g.cmd(), g.args(), g.env()), "user");
        assertRefused(task(".hidden", g.name(), g.image(), g.kind(), 1, 1, g.cmd(), g.args(), g.env()), "user");
        assertRefused(task("x".repeat(129), g.name(), g.image(), g.kind(), 1, 1, g.cmd(), g.args(), g.env()), "user");
        assertRefused(task(g.user(), g.name(), g.image(), g.kind(), 0, 1, g.cmd(), g.args(), g.env()), "cores");
        assertRefused(task(g.user(), g.name(), g.image(), g.kind(), 1, 0, g.cmd(), g.args(), g.env()), "ram");
        assertRefused(task(g.user(), g.name(), g.image(), SessionKind.headless, 1, 1, null, g.args(), g.env()), "cmd");
        assertRefused(task(g.user(), g.name(), g.image(), g.kind(), 1, 1, "-rf", g.args(), g.env()), "cmd");
        assertRefused(task(g.user(), g.name(), g.image(), g.kind(), 1, 1, g.cmd(), List.of("a\0b"), g.env()), "args[0]");
        assertRefused(task(g.user(), g.name(), g.image(), g.kind(), 1, 1, g.cmd(), g.args(), Map.of("1X", "v")), "env.1X");
        assertRefused(task(g.user(), g.name(), g.image(), g.kind(), 1, 1, g.cmd(), g.args(),
                Map.of("ORRERY_SESSION_ID", "mine")), "env.ORRERY_SESSION_ID");
        assertRefused(new LaunchTask("t1", "e.1", g.user(), g.name(), g.image(), g.kind(), 1, 1, g.cmd(), g.args(), g.env(),
                g.workdir()), "executionId");
    }

    @Test
    void anEmailLikeUserAndANameSkahaWouldRefuseStillPass() {
        LaunchTask g = good();
        // The session name is made safe for the platform (SessionNames) rather than refused half-way.
        assertThatCode(() -> rules.check(task("alice.smith+orrery@example.org", "alice@example.org's run", g.image(),
                g.kind(), 1, 1, g.cmd(), g.args(), g.env()))).doesNotThrowAnyException();
        assertThatCode(() -> rules.check(task("x".repeat(128), "x".repeat(128), g.image(), g.kind(), 1, 1, g.cmd(),
                g.args(), g.env()))).doesNotThrowAnyException();
    }

    @Test
    void refusesAnImageOffTheAllowList() {
        LaunchTask g = good();
        assertThatThrownBy(() -> rules.check(task(g.user(), g.name(), "docker.io/library/python:3", g.kind(), 1, 1, g.cmd(),
                g.args(), g.env())))
                .isInstanceOf(ProblemException.class)
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(((ProblemException) e).problem().slug())
                        .isEqualTo("image-not-allowed"));
    }

    @Test
    void aNotebookNeedsNoCommand() {
        LaunchTask g = good();
        assertThatCode(() -> rules.check(task(g.user(), g.name(), g.image(), SessionKind.notebook, 1, 1, null, List.of(),
                Map.of()))).doesNotThrowAnyException();
    }

    private void assertRefused(LaunchTask task, String field) {
        assertThatThrownBy(() -> rules.check(task)).isInstanceOf(ProblemException.class)
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(((ProblemException) e).problem().extensions())
                        .containsEntry("field", field));
    }
}
