package io.kache.testkit;

import io.kache.api.ArtifactKey;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Deterministic, valid {@link ArtifactKey}s for tests: the cache key is the SHA-256 of the crate
 * name and an index, so keys never collide by accident and a failure names a reproducible key.
 */
public final class TestKeys {

    private TestKeys() {
    }

    /** The {@code index}-th key of {@code crateName}. */
    public static ArtifactKey key(String crateName, int index) {
        return new ArtifactKey(crateName, hex(crateName + "#" + index));
    }

    /** The SHA-256 of {@code bytes} in lowercase hex, to compare with {@link GeneratedSource#sha256()}. */
    public static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(GeneratedSource.sha256Digest().digest(bytes));
    }

    /** A valid cache key derived from {@code seed}. */
    public static String hex(String seed) {
        byte[] digest = GeneratedSource.sha256Digest().digest(seed.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest);
    }
}
