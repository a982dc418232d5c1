package io.kache.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactSource;
import io.kache.api.ArtifactStore;
import io.kache.api.StoreException;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The store under test for one contract test, with the helpers every check group shares.
 */
final class ContractFixture {

    private final ArtifactStore store;
    private final StoreCapabilities capabilities;
    private final ForeignObjects foreign;

    /** How a check places an object of an arbitrary name under the store's prefix. */
    @FunctionalInterface
    interface ForeignObjects {
        void put(ArtifactStore store, String nameUnderPrefix, byte[] content) throws Exception;
    }

    ContractFixture(ArtifactStore store, StoreCapabilities capabilities, ForeignObjects foreign) {
        this.store = store;
        this.capabilities = capabilities;
        this.foreign = foreign;
    }

    ArtifactStore store() {
        return store;
    }

    StoreCapabilities capabilities() {
        return capabilities;
    }

    void putForeign(String nameUnderPrefix, byte[] content) throws Exception {
        foreign.put(store, nameUnderPrefix, content);
    }

    void storeBytes(ArtifactKey key, byte[] bytes) throws StoreException {
        store.store(key, ArtifactSource.ofBytes(bytes));
    }

    /** The entry's bytes, asserting a hit and that a reported size matches what was read. */
    byte[] loadBytes(ArtifactKey key) throws StoreException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long[] announced = {Long.MIN_VALUE};
        boolean hit = store.load(key, (in, size) -> {
            announced[0] = size;
            in.transferTo(out);
        });
        assertTrue(hit, "expected a hit for " + key);
        assertSizeMatches(announced[0], out.size(), key);
        return out.toByteArray();
    }

    /** The SHA-256 of the entry, read as a stream without holding it in memory. */
    String loadSha256(ArtifactKey key) throws StoreException {
        MessageDigest digest = GeneratedSource.sha256Digest();
        long[] counts = {Long.MIN_VALUE, 0};
        boolean hit = store.load(key, (in, size) -> {
            counts[0] = size;
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
                counts[1] += n;
            }
        });
        assertTrue(hit, "expected a hit for " + key);
        assertSizeMatches(counts[0], counts[1], key);
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void assertSizeMatches(long announced, long read, ArtifactKey key) {
        if (announced != -1) {
            assertEquals(read, announced, "size passed to the reader for " + key);
        }
    }

    Set<ArtifactKey> listed(String crateName) throws StoreException {
        return collect(store.list(crateName));
    }

    Set<ArtifactKey> listedAll() throws StoreException {
        return collect(store.listAll());
    }

    /** Every listed key, asserting none is listed twice. */
    private static Set<ArtifactKey> collect(Stream<ArtifactKey> keys) {
        try (keys) {
            List<ArtifactKey> all = keys.collect(Collectors.toList());
            Set<ArtifactKey> distinct = Set.copyOf(all);
            assertEquals(all.size(), distinct.size(), "a key was listed more than once");
            return distinct;
        }
    }
}
