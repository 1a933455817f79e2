package com.imageretrieval.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/** Checks {@code Authorization: Bearer <ADMIN_TOKEN>}. Closed by default: no configured token, no access. */
public final class AdminAuth {

    /** What the admin endpoints answer. */
    public enum Outcome { DISABLED, UNAUTHORIZED, ALLOWED }

    private AdminAuth() {
    }

    public static Outcome check(String configuredToken, String authorizationHeader) {
        if (configuredToken == null || configuredToken.isEmpty()) {
            return Outcome.DISABLED;
        }
        String given = bearer(authorizationHeader);
        if (given == null) {
            return Outcome.UNAUTHORIZED;
        }
        // Hashing first gives both sides the same length, so isEqual's constant-time loop leaks neither the
        // position of the first wrong character nor the token's length.
        return MessageDigest.isEqual(sha256(given), sha256(configuredToken)) ? Outcome.ALLOWED : Outcome.UNAUTHORIZED;
    }

    static String bearer(String header) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        if (h.length() < 7 || !h.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return null;
        }
        String token = h.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
