package orrery.canfar.domain;

import java.security.SecureRandom;

/** Session ids: 12 lower-case letters and digits, usable as a NATS subject token and in URLs. */
public final class SessionIds {

    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private SessionIds() {
    }

    public static String next() {
        char[] id = new char[12];
        for (int i = 0; i < id.length; i++) {
            id[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(id);
    }
}
