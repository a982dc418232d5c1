package io.kache.testkit;

import io.kache.api.ArtifactSource;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * A re-openable source of {@code size} pseudo-random bytes derived from {@code seed}, produced on
 * the fly: a multi-MB or multi-GB artifact costs no memory, and every {@link #open} yields the same
 * bytes, so it also serves retried and multipart uploads.
 */
public final class GeneratedSource implements ArtifactSource {

    private final long size;
    private final long seed;

    public GeneratedSource(long size, long seed) {
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
        this.size = size;
        this.seed = seed;
    }

    @Override
    public InputStream open() {
        return new Stream(size, seed);
    }

    @Override
    public long size() {
        return size;
    }

    /** The SHA-256 of all the bytes, in lowercase hex, computed by streaming them once. */
    public String sha256() throws IOException {
        MessageDigest digest = sha256Digest();
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = open()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "generated " + size + " bytes (seed " + seed + ")";
    }

    private static final class Stream extends InputStream {
        private final SplittableRandom random;
        private long remaining;

        Stream(long size, long seed) {
            this.random = new SplittableRandom(seed);
            this.remaining = size;
        }

        @Override
        public int read() {
            if (remaining == 0) {
                return -1;
            }
            remaining--;
            return random.nextInt(256);
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (remaining == 0) {
                return -1;
            }
            int n = (int) Math.min(len, remaining);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) random.nextInt(256);
            }
            remaining -= n;
            return n;
        }
    }
}
