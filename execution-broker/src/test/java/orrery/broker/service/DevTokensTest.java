package orrery.broker.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import orrery.broker.config.DashboardConfig;
import orrery.model.problem.ProblemException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The development login when it is off, and when its key cannot be read. */
class DevTokensTest {

    private static DashboardConfig config(Optional<Path> key) {
        DashboardConfig.DevLogin login = new DashboardConfig.DevLogin() {
            @Override
            public Optional<Path> key() {
                return key;
            }

            @Override
            public Duration lifetime() {
                return Duration.ofHours(1);
            }
        };
        return new DashboardConfig() {
            @Override
            public Services services() {
                throw new UnsupportedOperationException();
            }

            @Override
            public DevLogin devLogin() {
                return login;
            }
        };
    }

    @Test
    void offWithoutAKeyAndSaysSo() {
        DevTokens tokens = new DevTokens(config(Optional.empty()), "issuer", Optional.of(List.of("orrery")));
        assertThat(tokens.enabled()).isFalse();
        assertThatThrownBy(() -> tokens.issue("ada", false)).isInstanceOfSatisfying(ProblemException.class, e -> {
            assertThat(e.problem().status()).isEqualTo(404);
            assertThat(e.problem().detail()).contains("orrery.dashboard.dev-login.key");
        });
    }

    @Test
    void anUnreadableKeyIsA503ThatNamesTheFile(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("private.pem"), "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");
        DevTokens tokens = new DevTokens(config(Optional.of(key)), "issuer", Optional.empty());
        assertThatThrownBy(() -> tokens.issue("ada", false)).isInstanceOfSatisfying(ProblemException.class, e -> {
            assertThat(e.problem().status()).isEqualTo(503);
            assertThat(e.problem().detail()).contains(key.toString());
        });
    }
}
