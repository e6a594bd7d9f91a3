package orrery.support.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class VerifiedTokensTest {

    private static final JWTAuthContextInfo CONTEXT = new JWTAuthContextInfo();

    /** Counts verifications; tokens starting with "bad" fail, as a forged or expired one would. */
    private static final class CountingVerifier extends JWTCallerPrincipalFactory {
        final List<String> verified = new ArrayList<>();

        @Override
        public JWTCallerPrincipal parse(String token, JWTAuthContextInfo context) throws ParseException {
            verified.add(token);
            if (token.startsWith("bad")) {
                throw new ParseException("signature does not match");
            }
            return new Principal(token);
        }
    }

    private static final class Principal extends JWTCallerPrincipal {
        Principal(String token) {
            super(token, "JWT");
        }

        @Override
        protected Collection<String> doGetClaimNames() {
            return Set.of();
        }

        @Override
        protected Object getClaimValue(String claimName) {
            return null;
        }
    }

    private final CountingVerifier verifier = new CountingVerifier();
    private final AtomicLong nanos = new AtomicLong(1_000);
    private final VerifiedTokens tokens = new VerifiedTokens(verifier, Duration.ofSeconds(30), nanos::get);

    @Test
    void aTokenThatVerifiedIsTakenAgainWithoutASecondVerification() throws ParseException {
        JWTCallerPrincipal first = tokens.parse("alice-token", CONTEXT);
        nanos.addAndGet(Duration.ofSeconds(29).toNanos());
        JWTCallerPrincipal again = tokens.parse("alice-token", CONTEXT);

        assertThat(again).isSameAs(first);
        assertThat(verifier.verified).containsExactly("alice-token");
    }

    @Test
    void aTokenIsVerifiedAfreshOnceTheWindowHasPassed() throws ParseException {
        tokens.parse("alice-token", CONTEXT);
        nanos.addAndGet(Duration.ofSeconds(30).toNanos());
        tokens.parse("alice-token", CONTEXT);

        assertThat(verifier.verified).containsExactly("alice-token", "alice-token");
    }

    @Test
    void aRefusedTokenIsNeverRemembered() {
        assertThatThrownBy(() -> tokens.parse("bad-token", CONTEXT)).isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> tokens.parse("bad-token", CONTEXT)).isInstanceOf(ParseException.class);

        assertThat(verifier.verified).containsExactly("bad-token", "bad-token");
        assertThat(tokens.size()).isZero();
    }

    @Test
    void aTokenDifferentByOneCharacterIsVerifiedOnItsOwn() throws ParseException {
        tokens.parse("alice-token", CONTEXT);
        tokens.parse("alice-tokenx", CONTEXT);

        assertThat(verifier.verified).containsExactly("alice-token", "alice-tokenx");
    }

    @Test
    void memoryIsBounded() throws ParseException {
        for (int i = 0; i < VerifiedTokens.CAPACITY + 50; i++) {
            tokens.parse("token-" + i, CONTEXT);
        }
        assertThat(tokens.size()).isEqualTo(VerifiedTokens.CAPACITY);
        tokens.parse("token-0", CONTEXT); // the oldest went first
        assertThat(verifier.verified).hasSize(VerifiedTokens.CAPACITY + 51);
    }

    @Test
    void aZeroWindowVerifiesEveryTime() throws ParseException {
        VerifiedTokens off = new VerifiedTokens(verifier, Duration.ZERO, nanos::get);
        off.parse("alice-token", CONTEXT);
        off.parse("alice-token", CONTEXT);

        assertThat(verifier.verified).hasSize(2);
        assertThat(off.size()).isZero();
    }

    @Test
    void theWindowNeverOutlastsTheVerifiersClockSkew() {
        assertThat(VerifiedTokens.window(Duration.ofMinutes(5), 60)).isEqualTo(Duration.ofSeconds(60));
        assertThat(VerifiedTokens.window(Duration.ofSeconds(30), 60)).isEqualTo(Duration.ofSeconds(30));
        assertThat(VerifiedTokens.window(Duration.ofSeconds(30), 0)).isEqualTo(Duration.ZERO);
        assertThatThrownBy(() -> VerifiedTokens.window(Duration.ofSeconds(-1), 60)).isInstanceOf(IllegalArgumentException.class);
    }
}
