package io.kache.core.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.api.CorruptedEntryException;
import io.kache.core.entry.EntryFile;
import io.kache.core.entry.EntryManifest;
import io.kache.core.entry.OutputFile;
import io.kache.core.pack.HostilePackTest;
import io.kache.core.pack.PackCopier;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Pulled packs: kept as they came, unpacked by their first lookup, and handled by every store operation. */
class PulledPackTest {

    @TempDir
    Path tmp;

    final ArtifactKey key = StoreFixtures.key("serde", "k");

    /** A pack of {@code k} exported from a store of its own, and the outputs it holds. */
    byte[] packOf(ArtifactKey k, String seed, int size) throws Exception {
        try (LocalStore origin = LocalStore.open(tmp.resolve("origin-" + seed), 1L << 30)) {
            List<OutputFile> outs = StoreFixtures.libOutputs(tmp.resolve("out-" + seed), k.crateName(), seed, size);
            origin.put(k, outs, "out".getBytes(StandardCharsets.UTF_8), null, Map.of("a", "b"));
            ByteArrayOutputStream pack = new ByteArrayOutputStream();
            assertTrue(origin.exportPack(k, pack, 3));
            return pack.toByteArray();
        }
    }

    LocalStore open(String name, long cap) throws Exception {
        return LocalStore.open(tmp.resolve(name), cap);
    }

    /** Regular files under {@code dir}; none when it does not exist. */
    static List<Path> filesUnder(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void cacheKeysNameEntriesAndPulledPacksAlike() throws Exception {
        ArtifactKey unpacked = StoreFixtures.key("serde_json", "u");
        byte[] pack = packOf(key, "a", 1000);
        try (LocalStore store = open("s", 1L << 30)) {
            assertEquals(Set.of(), store.cacheKeys());
            store.storePack(key, new ByteArrayInputStream(pack));
            store.importPack(unpacked, new ByteArrayInputStream(packOf(unpacked, "b", 1000)));
            assertEquals(Set.of(key.cacheKey(), unpacked.cacheKey()), store.cacheKeys());
            assertTrue(store.lookup(key).isPresent());
            assertEquals(Set.of(key.cacheKey(), unpacked.cacheKey()), store.cacheKeys(), "once unpacked");
        }
    }

    @Test
    void aStoredPackStaysPackedUntilItsFirstLookupThenRestoresTheSameFiles() throws Exception {
        byte[] pack = packOf(key, "a", 300_000);
        try (LocalStore store = open("s", 1L << 30)) {
            EntryManifest m = store.storePack(key, new ByteArrayInputStream(pack));
            assertEquals(key, m.key());
            assertTrue(store.contains(key));
            assertArrayEquals(pack, Files.readAllBytes(store.layout().pack(key)), "kept as it came");
            assertFalse(Files.exists(store.layout().entry(key)), "not unpacked yet");
            assertEquals(List.of(), filesUnder(store.layout().blobsDir()));
            EntryInfo listed = store.list(Optional.empty()).get(0);
            assertEquals(new EntryInfo(key, 3, m.totalSize(), listed.lastUsed(), true), listed);
            StoreStats packed = store.stats();
            assertEquals(1, packed.entries());
            assertEquals(1, packed.packedEntries());
            assertEquals(pack.length, packed.uniqueBytes());

            EntryManifest found = store.lookup(key).orElseThrow();
            assertEquals(m, found);
            assertFalse(Files.exists(store.layout().pack(key)), "the pack is gone once unpacked");
            store.restore(found, tmp.resolve("target"));
            for (EntryFile f : found.files()) {
                assertArrayEquals(Files.readAllBytes(tmp.resolve("out-a").resolve(f.name())),
                        Files.readAllBytes(tmp.resolve("target").resolve(f.name())), f.name());
            }
            assertFalse(store.list(Optional.empty()).get(0).packed());
            assertEquals(0, store.stats().packedEntries());
            assertEquals(found, store.lookup(key).orElseThrow(), "later lookups read the manifest");
        }
    }

    @Test
    void aManifestReachingBeyondTheHeadKeptInMemoryIsReadFromTheFile() throws Exception {
        // Attributes of random hex: the manifest alone compresses to far more than the head.
        StringBuilder big = new StringBuilder();
        Random random = new Random(1);
        while (big.length() < 1_500_000) {
            big.append(Long.toHexString(random.nextLong()));
        }
        byte[] pack;
        try (LocalStore origin = LocalStore.open(tmp.resolve("origin-big"), 1L << 30)) {
            List<OutputFile> outs = StoreFixtures.libOutputs(tmp.resolve("out-big"), key.crateName(), "big", 1000);
            origin.put(key, outs, new byte[0], null, Map.of("inputs", big.toString()));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertTrue(origin.exportPack(key, out, 3));
            pack = out.toByteArray();
        }
        assertTrue(pack.length > 2 * PackCopier.HEAD, "the manifest outgrows the head: " + pack.length);
        try (LocalStore store = open("s", 1L << 30)) {
            EntryManifest m = store.storePack(key, new ByteArrayInputStream(pack));
            assertEquals(big.toString(), m.attributes().get("inputs"));
            assertEquals(m, store.lookup(key).orElseThrow());
        }
    }

    @Test
    void damagedTruncatedAndForeignPacksAreRefusedAndNothingIsKept() throws Exception {
        byte[] pack = packOf(key, "a", 100_000);
        byte[] flipped = pack.clone();
        flipped[flipped.length / 2] ^= 0x40;
        byte[] truncated = Arrays.copyOf(pack, pack.length - 5);
        ArtifactKey other = StoreFixtures.key("serde", "other");
        try (LocalStore store = open("s", 1L << 30)) {
            for (byte[] bad : List.of(flipped, truncated)) {
                CorruptedEntryException e = assertThrows(CorruptedEntryException.class,
                        () -> store.storePack(key, new ByteArrayInputStream(bad)));
                assertTrue(e.getMessage().contains(key.toString()), e.getMessage());
            }
            CorruptedEntryException foreign = assertThrows(CorruptedEntryException.class,
                    () -> store.storePack(other, new ByteArrayInputStream(pack)));
            assertTrue(foreign.getMessage().contains("expected " + other), foreign.getMessage());
            assertFalse(store.contains(key));
            assertFalse(store.contains(other));
            assertEquals(List.of(), filesUnder(store.layout().packFiles().path(key).getParent().getParent()));
            assertEquals(List.of(), filesUnder(store.layout().tmpDir()));
        }
    }

    /**
     * The integrity trailer passes for a pack written wrong on purpose; its manifest may too. Such
     * a pack must never be served: it is refused when stored, or dropped by its first lookup,
     * which then misses, and nothing of it is left.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.kache.core.pack.HostilePackTest#corpus")
    void aHostilePackIsNeverServed(String name, byte[] pack, String expected) throws Exception {
        ArtifactKey k = HostilePackTest.KEY;
        try (LocalStore store = open("s", 1L << 30)) {
            try {
                store.storePack(k, new ByteArrayInputStream(pack));
            } catch (CorruptedEntryException refused) {
                assertFalse(store.contains(k), name);
                assertEquals(List.of(), filesUnder(store.layout().tmpDir()), name);
                return;
            }
            assertTrue(store.contains(k), name + ": accepted for now");
            assertEquals(Optional.empty(), store.lookup(k), name);
            assertFalse(store.contains(k), name + ": dropped");
            assertEquals(List.of(), filesUnder(store.layout().blobsDir()), name);
            assertEquals(List.of(), filesUnder(store.layout().tmpDir()), name);
            assertFalse(Files.exists(store.layout().entry(k)), name);
        }
    }

    @Test
    void aPackedEntryIsPushedAsTheVeryPackThatWasPulled() throws Exception {
        byte[] pack = packOf(key, "a", 50_000);
        try (LocalStore store = open("s", 1L << 30)) {
            store.storePack(key, new ByteArrayInputStream(pack));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertTrue(store.exportPack(key, out, 19));
            assertArrayEquals(pack, out.toByteArray());
            assertTrue(Files.exists(store.layout().pack(key)), "exporting does not unpack");
        }
    }

    @Test
    void storingAKeyAlreadyPresentKeepsWhatIsThere() throws Exception {
        byte[] pack = packOf(key, "a", 50_000);
        try (LocalStore store = open("s", 1L << 30)) {
            store.importPack(key, new ByteArrayInputStream(pack));
            store.storePack(key, new ByteArrayInputStream(pack));
            assertFalse(Files.exists(store.layout().pack(key)), "an unpacked entry is not shadowed by a pack");
            assertEquals(0, store.stats().packedEntries());
            ArtifactKey second = StoreFixtures.key("serde", "second");
            byte[] secondPack = packOf(second, "b", 50_000);
            store.storePack(second, new ByteArrayInputStream(secondPack));
            store.storePack(second, new ByteArrayInputStream(secondPack));
            assertEquals(2, store.stats().entries());
        }
    }

    @Test
    void concurrentFirstLookupsAllGetTheEntry() throws Exception {
        byte[] pack = packOf(key, "a", 2_000_000);
        try (LocalStore store = open("s", 1L << 30)) {
            store.storePack(key, new ByteArrayInputStream(pack));
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Optional<EntryManifest>>> lookups = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    lookups.add(pool.submit((Callable<Optional<EntryManifest>>) () -> store.lookup(key)));
                }
                for (Future<Optional<EntryManifest>> f : lookups) {
                    assertEquals(key, f.get().orElseThrow().key());
                }
            } finally {
                pool.shutdownNow();
            }
            assertFalse(Files.exists(store.layout().pack(key)));
            assertEquals(List.of(), filesUnder(store.layout().tmpDir()));
            store.restore(store.lookup(key).orElseThrow(), tmp.resolve("target"));
        }
    }

    @Test
    void collectionExpiresPurgesAndEvictsPacksLikeEntries() throws Exception {
        ArtifactKey old = StoreFixtures.key("old", "k");
        ArtifactKey recent = StoreFixtures.key("recent", "k");
        ArtifactKey purged = StoreFixtures.key("purged", "k");
        try (LocalStore store = open("s", 1L << 30)) {
            for (ArtifactKey k : List.of(old, recent, purged)) {
                store.storePack(k, new ByteArrayInputStream(packOf(k, k.crateName(), 20_000)));
            }
            Files.setLastModifiedTime(store.layout().pack(old), FileTime.from(Instant.now().minus(Duration.ofDays(30))));
            GcResult aged = store.gc(Optional.of(Duration.ofDays(7)));
            assertEquals(1, aged.entriesRemoved());
            assertFalse(store.contains(old));
            assertTrue(store.contains(recent));
            store.purge(Optional.of("purged"));
            assertFalse(store.contains(purged));
            assertTrue(store.contains(recent));
        }
        // Packs count toward the cap and are evicted least recently used first.
        long cap = 1_000_000;
        try (LocalStore store = open("capped", cap)) {
            List<ArtifactKey> keys = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                ArtifactKey k = StoreFixtures.key("c" + i, "k");
                // Random bytes: the packs are as large as their content.
                store.storePack(k, new ByteArrayInputStream(packOf(k, "c" + i, 150_000)));
                Files.setLastModifiedTime(store.layout().pack(k), FileTime.from(Instant.parse("2024-01-01T00:00:00Z")
                        .plusSeconds(i == 0 ? 100 : i)));
                keys.add(k);
            }
            ArtifactKey last = StoreFixtures.key("c5", "k");
            store.storePack(last, new ByteArrayInputStream(packOf(last, "c5", 150_000)));
            assertTrue(store.contains(keys.get(0)), "most recently used survives");
            assertFalse(store.contains(keys.get(1)), "least recently used evicted");
            assertTrue(store.contains(last));
            assertTrue(store.stats().uniqueBytes() <= cap * 0.9, "down to 90% of the cap");
        }
    }

    @Test
    void aLeftoverPackBesideItsUnpackedEntryIsCollected() throws Exception {
        byte[] pack = packOf(key, "a", 50_000);
        try (LocalStore store = open("s", 1L << 30)) {
            store.importPack(key, new ByteArrayInputStream(pack));
            // What a process killed between unpacking and deleting the pack leaves.
            Files.createDirectories(store.layout().pack(key).getParent());
            Files.write(store.layout().pack(key), pack);
            GcResult r = store.gc(Optional.empty());
            assertEquals(0, r.entriesRemoved(), "the entry itself stays");
            assertFalse(Files.exists(store.layout().pack(key)));
            assertTrue(store.lookup(key).isPresent());
        }
    }
}
