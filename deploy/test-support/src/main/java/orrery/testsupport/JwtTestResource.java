package orrery.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.jwt.build.Jwt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * A key pair made for this test run (no keys live in the repository): the service verifies tokens
 * with the public half, tests sign them with {@link #token}. Tokens carry the issuer and audience the
 * service checks; {@link #tokenFor} makes ones with another issuer or audience to prove the checks.
 */
public class JwtTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String ISSUER = "https://orrery.test/issuer";
    public static final String AUDIENCE = "orrery-test";
    private static volatile KeyPair keys;
    private Path dir;

    /** A valid token for {@code user}, with the groups given (plus {@code user}). */
    public static String token(String user, String... groups) {
        return tokenFor(ISSUER, AUDIENCE, user, groups);
    }

    /** An administrator's token. */
    public static String admin(String user) {
        return token(user, "admin");
    }

    public static String tokenFor(String issuer, String audience, String user, String... groups) {
        java.util.Set<String> all = new java.util.HashSet<>(Set.of(groups));
        all.add("user");
        return Jwt.issuer(issuer).audience(audience).upn(user).subject(user).groups(all).expiresIn(3600)
                .sign(keys().getPrivate());
    }

    /** A token signed by a key the service does not know. */
    public static String forged(String user) {
        return Jwt.issuer(ISSUER).audience(AUDIENCE).upn(user).subject(user).groups(Set.of("user", "admin"))
                .expiresIn(3600).sign(newKeys().getPrivate());
    }

    private static synchronized KeyPair keys() {
        if (keys == null) {
            keys = newKeys();
        }
        return keys;
    }

    private static KeyPair newKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("orrery-jwt-");
            Path publicKey = dir.resolve("public.pem");
            Files.writeString(publicKey, "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(keys().getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n");
            // The broker's development login (its dashboard) signs with the private half.
            Path privateKey = dir.resolve("private.pem");
            Files.writeString(privateKey, "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(keys().getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n");
            return Map.of("mp.jwt.verify.publickey.location", publicKey.toUri().toString(),
                    "mp.jwt.verify.issuer", ISSUER, "mp.jwt.verify.audiences", AUDIENCE,
                    "orrery.dashboard.dev-login.key", privateKey.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        Processes.deleteTree(dir);
    }
}
