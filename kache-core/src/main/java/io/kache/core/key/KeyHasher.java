package io.kache.core.key;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 over named, length-prefixed fields, so no two different field sequences can produce the
 * same byte stream ({@code "ab","c"} and {@code "a","bc"} differ).
 */
final class KeyHasher {

    private final MessageDigest digest;
    /** Where a miss's breakdown collects the same fields, or null on the hit path (no cost there). */
    private final KeyParts parts;

    KeyHasher() {
        this(null);
    }

    KeyHasher(KeyParts parts) {
        this.parts = parts;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }

    KeyHasher field(String name, String value) {
        bytes(name.getBytes(StandardCharsets.UTF_8));
        bytes(value.getBytes(StandardCharsets.UTF_8));
        if (parts != null) {
            parts.field(name, value);
        }
        return this;
    }

    private void bytes(byte[] b) {
        int n = b.length;
        digest.update(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
        digest.update(b);
    }

    String hex() {
        return HexFormat.of().formatHex(digest.digest());
    }
}
