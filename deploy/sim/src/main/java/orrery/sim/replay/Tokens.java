package orrery.sim.replay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import orrery.model.time.TimeSource;

/**
 * The bearer tokens the replay sends: either one token for every request ({@code --token} or
 * {@code ORRERY_TOKEN}: every booking is that token's user's), or one per workload user, signed
 * here with the local suite's development key ({@code --jwt-key .run/jwt/private.pem}), exactly as
 * {@code deploy/local/token.sh} signs them (RS256; issuer {@code https://orrery.local/issuer},
 * audience {@code orrery}; valid 12 hours of real time). The per-user tokens spread the bookings
 * over the workload's users, so that the broker's per-user quota applies as it would.
 */
interface Tokens {

    String forUser(String user);

    /** Whether each workload user books as itself (else every booking is the one token's user). */
    boolean perUser();

    static Tokens fixed(String token) {
        String t = token.strip();
        return new Tokens() {
            @Override
            public String forUser(String user) {
                return t;
            }

            @Override
            public boolean perUser() {
                return false;
            }
        };
    }

    /**
     * Signs tokens for each user with the PKCS#8 PEM key at {@code key} ({@code openssl genpkey}'s
     * output, as {@code deploy/local/up.sh} makes it); {@code wall} is real time, for iat and exp.
     */
    static Tokens signing(Path key, String issuer, String audience, TimeSource wall) throws IOException, GeneralSecurityException {
        String pem = Files.readString(key, StandardCharsets.US_ASCII);
        if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new GeneralSecurityException(key + " is not a PKCS#8 private key (-----BEGIN PRIVATE KEY-----), as openssl genpkey writes it");
        }
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey privateKey = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        Map<String, String> cache = new ConcurrentHashMap<>();
        return new Tokens() {
            @Override
            public String forUser(String user) {
                return cache.computeIfAbsent(user, u -> sign(privateKey, issuer, audience, u, wall.now().getEpochSecond(), Duration.ofHours(12)));
            }

            @Override
            public boolean perUser() {
                return true;
            }
        };
    }

    static String sign(PrivateKey key, String issuer, String audience, String user, long issuedAt, Duration validFor) {
        String header = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
        String payload = b64("{\"iss\":\"" + issuer + "\",\"aud\":\"" + audience + "\",\"sub\":\"" + user + "\",\"upn\":\"" + user
                + "\",\"groups\":[\"user\"],\"iat\":" + issuedAt + ",\"exp\":" + (issuedAt + validFor.getSeconds()) + "}");
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
            return header + "." + payload + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a token for " + user + ": " + e.getMessage(), e);
        }
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
