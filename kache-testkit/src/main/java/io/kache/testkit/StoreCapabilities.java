package io.kache.testkit;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Assumptions;

/**
 * What a backend under test can do. A contract test that needs a missing capability is skipped
 * with the stated reason, so a skip shows in the report instead of hiding behind an empty override.
 *
 * <p>Immutable: {@link #without} and {@link #withLargeArtifactSize} return copies.
 */
public final class StoreCapabilities {

    /** Abilities some backends lack. */
    public enum Capability {
        /** The test can place objects of arbitrary names under the store's prefix. */
        FOREIGN_OBJECTS,
        /** Storing and listing more than 1,000 entries is affordable in a test run. */
        MANY_ENTRIES,
        /** Several threads may store the same key at once. */
        CONCURRENT_WRITERS
    }

    /** Size of the "large" round trip when a backend does not choose one: 8 MiB. */
    public static final long DEFAULT_LARGE_ARTIFACT_SIZE = 8L * 1024 * 1024;

    private final Map<Capability, String> missing;
    private final long largeArtifactSize;

    private StoreCapabilities(Map<Capability, String> missing, long largeArtifactSize) {
        this.missing = missing;
        this.largeArtifactSize = largeArtifactSize;
    }

    /** Every capability, with the default large artifact size. */
    public static StoreCapabilities all() {
        return new StoreCapabilities(new EnumMap<>(Capability.class), DEFAULT_LARGE_ARTIFACT_SIZE);
    }

    /** A copy lacking {@code capability}; tests that need it are skipped with {@code reason}. */
    public StoreCapabilities without(Capability capability, String reason) {
        Objects.requireNonNull(capability, "capability");
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a skipped capability needs a reason");
        }
        Map<Capability, String> copy = new EnumMap<>(Capability.class);
        copy.putAll(missing);
        copy.put(capability, reason);
        return new StoreCapabilities(copy, largeArtifactSize);
    }

    /**
     * A copy whose large round trip uses {@code bytes}, e.g. just above a multipart threshold.
     */
    public StoreCapabilities withLargeArtifactSize(long bytes) {
        if (bytes < 1024 * 1024) {
            throw new IllegalArgumentException("a large artifact has at least 1 MiB: " + bytes);
        }
        Map<Capability, String> copy = new EnumMap<>(Capability.class);
        copy.putAll(missing);
        return new StoreCapabilities(copy, bytes);
    }

    public boolean has(Capability capability) {
        return !missing.containsKey(capability);
    }

    public long largeArtifactSize() {
        return largeArtifactSize;
    }

    /** Skips the running test, with the declared reason, unless {@code capability} is present. */
    public void assume(Capability capability) {
        Assumptions.assumeTrue(has(capability),
                () -> "backend lacks " + capability + ": " + missing.get(capability));
    }

    @Override
    public String toString() {
        return "StoreCapabilities[missing=" + missing + ", largeArtifactSize=" + largeArtifactSize + "]";
    }
}
