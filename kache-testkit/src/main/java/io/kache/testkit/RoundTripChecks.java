package io.kache.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.api.CorruptedEntryException;
import io.kache.api.StoreException;
import io.kache.api.StoreUnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Storing and loading: what goes in comes out, a miss is a plain {@code false}. */
abstract class RoundTripChecks extends CheckGroup {

    RoundTripChecks(Supplier<ContractFixture> fixture) {
        super(fixture);
    }

    @Test
    void emptyArtifactRoundTrips() throws Exception {
        ArtifactKey key = TestKeys.key("empty_crate", 0);
        fixture().storeBytes(key, new byte[0]);
        assertArrayEquals(new byte[0], fixture().loadBytes(key));
    }

    @Test
    void smallArtifactRoundTrips() throws Exception {
        ArtifactKey key = TestKeys.key("serde", 1);
        byte[] bytes = "a small tar.zst stand-in\n".getBytes(StandardCharsets.UTF_8);
        fixture().storeBytes(key, bytes);
        assertArrayEquals(bytes, fixture().loadBytes(key));
    }

    @Test
    void largeArtifactRoundTripsAsAStream() throws Exception {
        ArtifactKey key = TestKeys.key("big_crate", 2);
        GeneratedSource source = new GeneratedSource(fixture().capabilities().largeArtifactSize(), 42);
        fixture().store().store(key, source);
        assertEquals(source.sha256(), fixture().loadSha256(key), "bytes of " + source);
    }

    @Test
    void missReturnsFalseWithoutCallingTheReader() throws Exception {
        AtomicBoolean called = new AtomicBoolean();
        boolean hit = fixture().store().load(TestKeys.key("serde", 3), (in, size) -> called.set(true));
        assertFalse(hit, "load of a key never stored");
        assertFalse(called.get(), "the reader was called on a miss");
    }

    @Test
    void sameCacheKeyInAnotherCrateIsAMiss() throws Exception {
        ArtifactKey stored = TestKeys.key("serde", 4);
        fixture().storeBytes(stored, new byte[] {1, 2, 3});
        ArtifactKey other = new ArtifactKey("serde_json", stored.cacheKey());
        assertFalse(fixture().store().load(other, (in, size) -> { }), "load of " + other);
        assertFalse(fixture().store().contains(other), "contains " + other);
    }

    @Test
    void containsIsFalseBeforeAndTrueAfterStore() throws Exception {
        ArtifactKey key = TestKeys.key("tokio", 5);
        assertFalse(fixture().store().contains(key), "contains before store");
        fixture().storeBytes(key, new byte[] {9});
        assertTrue(fixture().store().contains(key), "contains after store");
    }

    @Test
    void readerIoFailureSurfacesAsStoreException() throws Exception {
        ArtifactKey key = TestKeys.key("serde", 6);
        fixture().storeBytes(key, new byte[] {1, 2, 3, 4});
        StoreException thrown = assertThrows(StoreException.class,
                () -> fixture().store().load(key, (in, size) -> {
                    throw new IOException("reader failed");
                }));
        assertTrue(thrown instanceof StoreUnavailableException, "expected StoreUnavailableException, got " + thrown);
    }

    @Test
    void readerStoreExceptionPassesThroughUnchanged() throws Exception {
        ArtifactKey key = TestKeys.key("serde", 7);
        fixture().storeBytes(key, new byte[] {5});
        StoreException own = new CorruptedEntryException("bad pack");
        StoreException thrown = assertThrows(StoreException.class,
                () -> fixture().store().load(key, (in, size) -> {
                    throw own;
                }));
        assertSame(own, thrown);
    }
}
