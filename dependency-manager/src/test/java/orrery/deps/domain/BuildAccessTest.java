package orrery.deps.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BuildAccessTest {

    @Test
    void aRequestedBuildIsItsOwnersAndAdministrators() {
        assertThat(BuildAccess.mayRead("alice", false, "alice", "request")).isTrue();
        assertThat(BuildAccess.mayRead("bob", false, "alice", "request")).isFalse();
        assertThat(BuildAccess.mayRead("root", true, "alice", "request")).isTrue();
        // Names are compared exactly.
        assertThat(BuildAccess.mayRead("Alice", false, "alice", "request")).isFalse();
    }

    @Test
    void theServicesOwnBuildsAreEveryonesToRead() {
        assertThat(BuildAccess.mayRead("bob", false, null, BuildAccess.SYSTEM_TRIGGER)).isTrue();
        assertThat(BuildAccess.mayRead("root", true, null, BuildAccess.SYSTEM_TRIGGER)).isTrue();
    }

    @Test
    void aRequestedBuildWithoutAKnownOwnerIsForAdministratorsOnly() {
        assertThat(BuildAccess.mayRead("bob", false, null, "request")).isFalse();
        assertThat(BuildAccess.mayRead("root", true, null, "request")).isTrue();
    }
}
