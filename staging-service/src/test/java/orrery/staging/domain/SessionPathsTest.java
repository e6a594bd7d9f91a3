package orrery.staging.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import orrery.model.identity.UserNames;
import orrery.model.problem.ProblemException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SessionPathsTest {

    @Test
    void placesFilesInTheSessionFolder() {
        assertThat(SessionPaths.folder("alice", "exec-1")).isEqualTo("home/alice/broker/exec-1");
        assertThat(SessionPaths.file("alice", "exec-1", "data/run_2.fits")).isEqualTo("home/alice/broker/exec-1/data/run_2.fits");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "../bob/secret|contains '..'",
        "data/../../x|contains '..'",
        "./x|contains '.'",
        "/etc/passwd|is absolute",
        "a\\b|backslash",
        "a//b|empty segment",
        "a/|empty segment",
        ".bashrc|hidden segment",
        "x;rm -rf|characters outside",
        "tab\there|characters outside",
        "quote\"d|characters outside"})
    void refusesNamesThatCouldLeaveTheFolder(String name, String why) {
        assertThatThrownBy(() -> SessionPaths.file("alice", "exec-1", name))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining(why)
                .satisfies(e -> assertThat(((ProblemException) e).problem().slug()).isEqualTo("invalid-path"));
    }

    @Test
    void refusesOverlyDeepNames() {
        assertThatThrownBy(() -> SessionPaths.file("alice", "e", "a/".repeat(17) + "f")).hasMessageContaining("nested more than");
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", ".hidden", "../bob", "bob/x", "bob\\x", "", " alice", "-rf", "@alice", "al ice", "al:ice",
        "al%2fice", "alice\n"})
    void refusesOddUsers(String user) {
        assertThatThrownBy(() -> SessionPaths.folder(user, "e"))
                .satisfies(e -> assertThat(((ProblemException) e).problem().slug()).isEqualTo("invalid-user"))
                .hasMessageContaining(UserNames.RULE);
    }

    @Test
    void refusesUserNamesLongerThanTheRule() {
        assertThatThrownBy(() -> SessionPaths.folder("a".repeat(UserNames.MAX_LENGTH + 1), "e"))
                .satisfies(e -> assertThat(((ProblemException) e).problem().slug()).isEqualTo("invalid-user"));
        assertThat(SessionPaths.folder("a".repeat(UserNames.MAX_LENGTH), "e")).startsWith("home/aaa");
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice@example.org", "first.last+tag@sub.example.org", "Bob_2", "a", "0xdeadbeef", "a..b"})
    void acceptsEveryNameTheSharedRuleAccepts(String user) {
        assertThat(UserNames.isValid(user)).isTrue();
        assertThat(SessionPaths.folder(user, "exec-1")).isEqualTo("home/" + user + "/broker/exec-1");
        assertThat(SessionPaths.file(user, "exec-1", "x.dat").split("/")).hasSize(5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "a.b", "a/b", ""})
    void refusesOddExecutionIds(String id) {
        assertThatThrownBy(() -> SessionPaths.folder("alice", id))
                .satisfies(e -> assertThat(((ProblemException) e).problem().slug()).isEqualTo("invalid-execution-id"));
    }
}
