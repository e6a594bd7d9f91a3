package orrery.support.rest;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;
import orrery.model.util.BoundedMaps;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * smallrye-jwt's token verification with a short memory: a bearer token that verified (signature,
 * issuer, audience, expiry) is taken again without a second RSA verification if it comes back within
 * {@code orrery.security.token-reuse} (PT30S; zero turns the memory off). A client such as the
 * dashboard or a replay sends the same token with every request, and the signature check was about
 * a tenth of the broker's CPU per request.
 *
 * <p>Why this is safe: only tokens that verified are remembered, keyed by the whole token, so a
 * changed byte is a different key and is verified from scratch; failures are never remembered. A
 * token is re-verified at least every reuse window, so one that expired is refused at most that long
 * after its {@code exp}: the window is capped at the clock skew the verifier already tolerates
 * ({@code mp.jwt.verify.clock.skew}, 60 s by default), so nothing is accepted that a verifier with a
 * clock that far off would not accept too. The window is measured on the process's monotonic clock
 * ({@link System#nanoTime()}), not on the suite's {@code TimeSource}: token lifetimes are real time,
 * also while the suite runs on simulated time. At most {@link #CAPACITY} tokens are kept (least
 * recently used go first). The suite has one verification configuration per service, so the
 * context is not part of the key.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class VerifiedTokens extends JWTCallerPrincipalFactory {

    static final int CAPACITY = 1024;

    private final JWTCallerPrincipalFactory verifier;
    private final long reuseNanos;
    private final LongSupplier ticks;
    private final Map<String, Verified> verified = BoundedMaps.leastRecentlyUsed(CAPACITY);

    private record Verified(JWTCallerPrincipal principal, long at) {
    }

    @Inject
    public VerifiedTokens(@ConfigProperty(name = "orrery.security.token-reuse", defaultValue = "PT30S") Duration reuse,
                          @ConfigProperty(name = "mp.jwt.verify.clock.skew", defaultValue = "60") int clockSkewSeconds) {
        this(new DefaultJWTCallerPrincipalFactory(), window(reuse, clockSkewSeconds), System::nanoTime);
    }

    VerifiedTokens(JWTCallerPrincipalFactory verifier, Duration reuse, LongSupplier ticks) {
        this.verifier = verifier;
        this.reuseNanos = reuse.toNanos();
        this.ticks = ticks;
    }

    /** The reuse window: as configured, never negative and never longer than the verifier's clock skew. */
    static Duration window(Duration reuse, int clockSkewSeconds) {
        if (reuse.isNegative()) {
            throw new IllegalArgumentException("orrery.security.token-reuse must not be negative but was " + reuse);
        }
        Duration skew = Duration.ofSeconds(Math.max(0, clockSkewSeconds));
        return reuse.compareTo(skew) > 0 ? skew : reuse;
    }

    @Override
    public JWTCallerPrincipal parse(String token, JWTAuthContextInfo context) throws ParseException {
        if (reuseNanos == 0) {
            return verifier.parse(token, context);
        }
        long now = ticks.getAsLong();
        Verified known;
        synchronized (verified) {
            known = verified.get(token);
        }
        if (known != null && now - known.at() < reuseNanos) {
            return known.principal();
        }
        JWTCallerPrincipal principal = verifier.parse(token, context); // throws for a bad token: nothing is kept
        synchronized (verified) {
            verified.put(token, new Verified(principal, now));
        }
        return principal;
    }

    /** How many verified tokens are remembered now. */
    int size() {
        synchronized (verified) {
            return verified.size();
        }
    }
}
