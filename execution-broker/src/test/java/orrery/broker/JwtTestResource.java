package orrery.broker;

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
 * A key pair made for this test run (no keys live in the repository): the broker verifies tokens
 * with the public half, tests sign them with {@link #token}.
 */
public class JwtTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String ISSUER = "https://orrery.test/issuer";
    private static volatile KeyPair keys;
    private Path dir;

    public static String token(String user, String... groups) {
        return Jwt.issuer(ISSUER).upn(user).subject(user).groups(Set.of(groups)).expiresIn(3600).sign(keys.getPrivate());
    }

    @Override
    public Map<String, String> start() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            keys = generator.generateKeyPair();
            dir = Files.createTempDirectory("orrery-jwt-");
            Path publicKey = dir.resolve("public.pem");
            Files.writeString(publicKey, "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(keys.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n");
            return Map.of("mp.jwt.verify.publickey.location", publicKey.toUri().toString(), "mp.jwt.verify.issuer", ISSUER);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        orrery.testsupport.Processes.deleteTree(dir);
    }
}
