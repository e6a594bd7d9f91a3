package orrery.broker.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import orrery.broker.config.DashboardConfig;
import orrery.model.identity.UserNames;
import orrery.model.json.Json;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;
import orrery.model.time.SystemTimeSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The dashboard's development login: RS256 tokens for any valid user name, signed with the key
 * {@code deploy/local/token.sh} uses, with the same claims. Off unless
 * {@code orrery.dashboard.dev-login.key} is set; the resource also refuses callers that are not
 * on this machine.
 */
@ApplicationScoped
public class DevTokens {

    /** A token is checked against the system clock, so its lifetime is real time, even on simulated time. */
    private static final SystemTimeSource WALL = new SystemTimeSource();

    private final DashboardConfig.DevLogin config;
    private final String issuer;
    private final String audience;
    private final ObjectMapper json = Json.strictMapper();
    private volatile PrivateKey key;

    @Inject
    public DevTokens(DashboardConfig config, @ConfigProperty(name = "mp.jwt.verify.issuer") String issuer,
                     @ConfigProperty(name = "mp.jwt.verify.audiences") Optional<List<String>> audiences) {
        this.config = config.devLogin();
        this.issuer = issuer;
        this.audience = audiences.filter(list -> !list.isEmpty()).map(list -> list.get(0)).orElse("orrery");
    }

    public boolean enabled() {
        return config.key().isPresent();
    }

    /** A 404 problem unless the development login is on. */
    public void requireEnabled() {
        if (!enabled()) {
            throw new ProblemException(Problem.of("dev-login-off", 404, "No development login here",
                    "this broker has no development login (orrery.dashboard.dev-login.key is unset); paste a token from your identity provider"));
        }
    }

    /** A signed token for {@code user}, an administrator when {@code admin}. */
    public Issued issue(String user, boolean admin) {
        requireEnabled();
        if (user == null || !UserNames.isValid(user)) {
            throw new ProblemException(Problem.of("invalid-user-name", 400, "Not a user name",
                    "a user name is " + UserNames.RULE).with("field", "user"));
        }
        Instant now = WALL.now();
        Instant expires = now.plus(config.lifetime());
        List<String> groups = new ArrayList<>(List.of("user"));
        if (admin) {
            groups.add("admin");
        }
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("aud", audience);
        claims.put("sub", user);
        claims.put("upn", user);
        claims.put("groups", groups);
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", expires.getEpochSecond());
        return new Issued(sign(claims), user, admin, expires);
    }

    private String sign(Map<String, Object> claims) {
        try {
            String signed = b64(json.writeValueAsBytes(Map.of("alg", "RS256", "typ", "JWT"))) + "." + b64(json.writeValueAsBytes(claims));
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key());
            rsa.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + b64(rsa.sign());
        } catch (JsonProcessingException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a development token: " + e.getMessage(), e);
        }
    }

    private PrivateKey key() {
        PrivateKey loaded = key;
        if (loaded == null) {
            Path file = config.key().orElseThrow();
            try {
                String pem = Files.readString(file).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
                loaded = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
            } catch (IOException | IllegalArgumentException | GeneralSecurityException e) {
                throw new ProblemException(Problem.of("dev-login-key", 503, "The development login's key is unreadable",
                        "cannot read a PKCS#8 PEM private key from " + file + ": " + e.getMessage()));
            }
            key = loaded;
        }
        return loaded;
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A token and what it says. */
    public record Issued(String token, String user, boolean admin, Instant expires) {
    }
}
