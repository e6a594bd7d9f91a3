package orrery.testsupport;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;

/** A key pair made for the run, and RS256 JWTs signed with it, as deploy/local/token.sh makes them. */
public final class Tokens {

    public static final String ISSUER = "https://orrery.local/issuer";

    private final KeyPair keys;

    public Tokens() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        keys = generator.generateKeyPair();
    }

    public Path writePublicKey(Path dir) throws java.io.IOException {
        return Files.writeString(dir.resolve("public.pem"), "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
    }

    /** The private key as PKCS#8 PEM, as {@code openssl genpkey} writes it (for {@code orrery-sim replay --jwt-key}). */
    public Path writePrivateKey(Path dir) throws java.io.IOException {
        return Files.writeString(dir.resolve("private.pem"), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
    }

    public String token(String user) {
        return token(user, "user");
    }

    /** A token for {@code user} in {@code group} (e.g. "admin", who may define pools). */
    public String token(String user, String group) {
        long now = Instant.now().getEpochSecond();
        String header = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
        String payload = b64("{\"iss\":\"" + ISSUER + "\",\"aud\":\"orrery\",\"sub\":\"" + user + "\",\"upn\":\"" + user
                + "\",\"groups\":[\"" + group + "\"],\"iat\":" + now + ",\"exp\":" + (now + 3600) + "}");
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(keys.getPrivate());
            rsa.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
            return header + "." + payload + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
