package orrery.canfar.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SessionNamesTest {

    @Test
    void aNameSkahaAcceptsIsKeptInLowerCase() {
        assertThat(SessionNames.safe("orrery-1a2b3c4d")).isEqualTo("orrery-1a2b3c4d");
        assertThat(SessionNames.safe("Demo-1")).isEqualTo("demo-1");
    }

    @Test
    void anEmailLikeNameBecomesAHostNameSkahaAndKubernetesAccept() {
        assertThat(SessionNames.safe("alice@example.org")).isEqualTo("alice-example-org");
        assertThat(SessionNames.safe("alice.smith+orrery@example.org's analysis"))
                .isEqualTo("alice-smith-orrery-example-org-s-analysi");
    }

    @Test
    void noDashAtEitherEndNoRunsOfDashesAndNeverEmpty() {
        assertThat(SessionNames.safe("--a__b--")).isEqualTo("a-b");
        assertThat(SessionNames.safe("x".repeat(39) + "-tail")).isEqualTo("x".repeat(39));
        assertThat(SessionNames.safe("@@@")).isEqualTo(SessionNames.FALLBACK);
        assertThat(SessionNames.safe("ünïcödé")).isEqualTo("n-c-d");
        assertThat(SessionNames.safe("")).isEqualTo(SessionNames.FALLBACK);
    }

    @Test
    void everyDerivedNameFollowsSkahasRuleAndFitsALabel() {
        for (String name : new String[] {"a", "A-B", "x".repeat(200), "-", "a b c", "日本", "1@2", "alice@example.org"}) {
            String safe = SessionNames.safe(name);
            assertThat(safe).matches("[A-Za-z0-9\\-]+").matches(SessionNames.SAFE.pattern()).hasSizeLessThanOrEqualTo(40);
        }
    }
}
