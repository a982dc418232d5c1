package io.kache.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.core.entry.EntryFile;
import io.kache.core.entry.EntryManifest;
import io.kache.core.entry.OutputFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreGcTest {

    @TempDir
    Path tmp;

    static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    EntryManifest putOne(LocalStore store, ArtifactKey key, String seed, int size) throws Exception {
        OutputFile f = StoreFixtures.write(tmp.resolve("out").resolve(seed), "lib" + key.crateName() + ".rlib",
                StoreFixtures.bytes(seed, size), false);
        return store.put(key, List.of(f), null, null, Map.of());
    }

    void lastUsed(LocalStore store, ArtifactKey key, Instant when) throws Exception {
        Files.setLastModifiedTime(store.layout().entry(key), FileTime.from(when));
    }

    @Test
    void overTheCapEvictsLeastRecentlyUsedDownToNinetyPercent() throws Exception {
        long cap = 1_000_000;
        try (LocalStore store = LocalStore.open(tmp.resolve("s"), cap)) {
            List<ArtifactKey> keys = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                ArtifactKey k = StoreFixtures.key("c" + i, "k");
                putOne(store, k, "e" + i, 200_000);
                // Older entries have lower i, except entry 0, used most recently of all.
                lastUsed(store, k, T0.plusSeconds(i == 0 ? 100 : i));
                keys.add(k);
            }
            ArtifactKey fifth = StoreFixtures.key("c4", "k");
            putOne(store, fifth, "e4", 200_000);
            ArtifactKey sixth = StoreFixtures.key("c5", "k");
            putOne(store, sixth, "e5", 200_000);
            assertTrue(store.contains(keys.get(0)), "most recently used survives");
            assertFalse(store.contains(keys.get(1)), "least recently used evicted");
            assertTrue(store.contains(sixth), "the new entry survives");
            assertTrue(store.stats().uniqueBytes() <= cap * 0.9, "down to 90% of the cap");
        }
    }

    @Test
    void blobStillReferencedSurvivesEviction() throws Exception {
        try (LocalStore store = LocalStore.open(tmp.resolve("s"), 1L << 30)) {
            byte[] shared = StoreFixtures.bytes("shared", 10_000);
            OutputFile a = StoreFixtures.write(tmp.resolve("a"), "liba.rlib", shared, false);
            OutputFile b = StoreFixtures.write(tmp.resolve("b"), "libb.rlib", shared, false);
            ArtifactKey ka = StoreFixtures.key("a", "1");
            ArtifactKey kb = StoreFixtures.key("b", "1");
            store.put(ka, List.of(a), null, null, Map.of());
            EntryManifest mb = store.put(kb, List.of(b), null, null, Map.of());
            GcResult r = store.purge(Optional.of("a"));
            assertEquals(1, r.entriesRemoved());
            assertEquals(0, r.blobsRemoved());
            assertFalse(store.contains(ka));
            store.restore(mb, tmp.resolve("t"));
            assertEquals(10_000, Files.size(tmp.resolve("t/libb.rlib")));
            GcResult r2 = store.purge(Optional.of("b"));
            assertEquals(1, r2.blobsRemoved());
            assertEquals(0, store.stats().uniqueBytes());
        }
    }

    @Test
    void gcWithMaxAgeKeepsRecentlyUsedEntries() throws Exception {
        try (LocalStore store = LocalStore.open(tmp.resolve("s"), 1L << 30)) {
            ArtifactKey old = StoreFixtures.key("old", "1");
            ArtifactKey fresh = StoreFixtures.key("fresh", "1");
            putOne(store, old, "o", 1000);
            putOne(store, fresh, "f", 1000);
            lastUsed(store, old, Instant.now().minus(Duration.ofDays(10)));
            GcResult r = store.gc(Optional.of(Duration.ofDays(7)));
            assertEquals(1, r.entriesRemoved());
            assertEquals(1, r.blobsRemoved());
            assertFalse(store.contains(old));
            assertTrue(store.contains(fresh));
            assertEquals(1, r.entriesRemaining());
        }
    }

    @Test
    void purgeOfOneCrateDoesNotTouchLongerCrateNames() throws Exception {
        try (LocalStore store = LocalStore.open(tmp.resolve("s"), 1L << 30)) {
            ArtifactKey serde = StoreFixtures.key("serde", "1");
            ArtifactKey serdeJson = StoreFixtures.key("serde_json", "1");
            putOne(store, serde, "s", 100);
            putOne(store, serdeJson, "j", 100);
            store.purge(Optional.of("serde"));
            assertFalse(store.contains(serde));
            assertTrue(store.contains(serdeJson));
            store.purge(Optional.empty());
            assertFalse(store.contains(serdeJson));
            assertEquals(0, store.stats().entries());
        }
    }

    /** A dep-info pre-pass writes into a scratch directory in tmp/: a killed one leaves it behind. */
    @Test
    void gcSweepsTheScratchDirectoryOfADeadWriterAndKeepsALiveOne() throws Exception {
        try (LocalStore store = LocalStore.open(tmp.resolve("s"), 1L << 30)) {
            Process dead = new ProcessBuilder("true").start();
            dead.waitFor();
            Path leftover = Files.createDirectory(store.layout().tmpDir().resolve(dead.pid() + "-1-abc.prepass"));
            Files.write(leftover.resolve("core_lib-aa.d"), new byte[100]);
            Path mine = Files.createDirectory(store.newTemp("prepass"));
            Files.write(mine.resolve("core_lib-aa.d"), new byte[10]);
            GcResult r = store.gc(Optional.empty());
            assertFalse(Files.exists(leftover), "a dead writer's scratch directory is removed");
            assertTrue(Files.exists(mine.resolve("core_lib-aa.d")), "a live writer's stays");
            assertEquals(1, r.tempFilesRemoved());
        }
    }

    @Test
    void gcSweepsOrphanBlobsAndLeftoversOfDeadWriters() throws Exception {
        try (LocalStore store = LocalStore.open(tmp.resolve("s"), 1L << 30)) {
            Process dead = new ProcessBuilder("true").start();
            dead.waitFor();
            Path leftover = store.layout().tmpDir().resolve(dead.pid() + "-1-abc.blob");
            Files.write(leftover, new byte[100]);
            Path mine = store.layout().newTemp("blob");
            Files.write(mine, new byte[10]);
            String orphan = "ab".repeat(32);
            Path orphanBlob = store.layout().blob(orphan);
            Files.createDirectories(orphanBlob.getParent());
            Files.write(orphanBlob, new byte[50]);
            GcResult r = store.gc(Optional.empty());
            assertFalse(Files.exists(leftover), "a dead writer's temp file is removed");
            assertTrue(Files.exists(mine), "a live writer's temp file stays");
            assertFalse(Files.exists(orphanBlob));
            assertEquals(1, r.tempFilesRemoved());
            assertEquals(1, r.blobsRemoved());
        }
    }

    @Test
    void damagedEntriesAreRemovedByGc() throws Exception {
        try (LocalStore store = LocalStore.open(tmp.resolve("s"), 1L << 30)) {
            ArtifactKey k = StoreFixtures.key("x", "1");
            EntryManifest m = putOne(store, k, "x", 100);
            Files.write(store.layout().entry(k), new byte[] {1, 2, 3});
            GcResult r = store.gc(Optional.empty());
            assertEquals(1, r.entriesRemoved());
            for (EntryFile f : m.files()) {
                assertFalse(Files.exists(store.blobPath(f.sha256())));
            }
        }
    }

    /**
     * An entry this process cannot read (another user's in a shared store, a passing EIO) is not a
     * damaged one: gc keeps it and every blob it may reference, including while it evicts. Made here
     * by a directory in the entry's place, which reads as an I/O error even for root.
     */
    @Test
    void anEntryThatCannotBeReadIsKeptWithEveryBlob() throws Exception {
        try (LocalStore store = LocalStore.open(tmp.resolve("s"), 1L << 30)) {
            ArtifactKey theirs = StoreFixtures.key("theirs", "1");
            EntryManifest m = putOne(store, theirs, "t", 1000);
            ArtifactKey old = StoreFixtures.key("old", "1");
            putOne(store, old, "o", 1000);
            lastUsed(store, old, Instant.now().minus(Duration.ofDays(10)));
            Path entry = store.layout().entry(theirs);
            byte[] manifest = Files.readAllBytes(entry);
            Files.delete(entry);
            Files.createDirectory(entry);

            GcResult r = store.gc(Optional.of(Duration.ofDays(7)));
            assertTrue(Files.isDirectory(entry), "the unreadable entry stays");
            for (EntryFile f : m.files()) {
                assertTrue(Files.exists(store.blobPath(f.sha256())), "a blob it may reference stays");
            }
            assertEquals(1, r.entriesRemoved(), "an expired entry still goes");
            assertFalse(store.contains(old));

            Files.delete(entry);
            Files.write(entry, manifest);
            store.restore(store.lookup(theirs).orElseThrow(), tmp.resolve("t"));
            assertEquals(1000, Files.size(tmp.resolve("t/libtheirs.rlib")), "readable again, and whole");
        }
    }

    /**
     * Over the cap with an entry it cannot read, eviction goes on among the others (a store that
     * stopped evicting would grow for ever); the unreadable entry and its blobs stay.
     */
    @Test
    void overTheCapWithAnEntryThatCannotBeReadTheOthersAreEvicted() throws Exception {
        long cap = 1_000_000;
        try (LocalStore store = LocalStore.open(tmp.resolve("s"), cap)) {
            List<ArtifactKey> keys = new ArrayList<>();
            EntryManifest theirs = null;
            for (int i = 0; i < 4; i++) {
                keys.add(StoreFixtures.key("c" + i, "k"));
                EntryManifest m = putOne(store, keys.get(i), "e" + i, 200_000);
                lastUsed(store, keys.get(i), T0.plusSeconds(i));
                theirs = i == 0 ? m : theirs;
            }
            Path entry = store.layout().entry(keys.get(0));
            Files.delete(entry);
            Files.createDirectory(entry);
            keys.add(StoreFixtures.key("c4", "k"));
            putOne(store, keys.get(4), "e4", 200_000);
            keys.add(StoreFixtures.key("c5", "k"));
            putOne(store, keys.get(5), "e5", 200_000);

            assertTrue(Files.isDirectory(entry), "the unreadable entry stays");
            for (EntryFile f : theirs.files()) {
                assertTrue(Files.exists(store.blobPath(f.sha256())), "and so do its blobs");
            }
            assertFalse(store.contains(keys.get(1)), "the least recently used of the others is evicted");
            assertTrue(store.contains(keys.get(5)), "the new entry survives");
            assertTrue(store.stats().uniqueBytes() <= cap, "back under the cap: " + store.stats().uniqueBytes());
        }
    }

    /**
     * Bytes eviction cannot free (an unreadable entry's blobs) do not count towards the cap it
     * evicts down to: otherwise it evicted every readable entry, the one just stored too, and stood
     * over the cap still, starting another pass at each store.
     */
    @Test
    void bytesOfAnEntryThatCannotBeReadDoNotMakeEvictionTakeEverything() throws Exception {
        try (LocalStore store = LocalStore.open(tmp.resolve("s"), 1_000_000)) {
            ArtifactKey theirs = StoreFixtures.key("theirs", "k");
            putOne(store, theirs, "t", 950_000);
            Path entry = store.layout().entry(theirs);
            Files.delete(entry);
            Files.createDirectory(entry);
            ArtifactKey mine = StoreFixtures.key("mine", "k");
            putOne(store, mine, "m", 100_000);
            ArtifactKey next = StoreFixtures.key("next", "k");
            putOne(store, next, "n", 100_000);
            assertTrue(store.contains(mine) && store.contains(next), "the readable entries stay");
        }
    }

    @Test
    void lockFilesOfRemovedEntriesAreSwept() throws Exception {
        try (LocalStore store = LocalStore.open(tmp.resolve("s"), 1L << 30)) {
            ArtifactKey k = StoreFixtures.key("x", "1");
            try (KeyLock lock = store.lock(k, Duration.ofSeconds(5))) {
                putOne(store, k, "x", 100);
            }
            assertTrue(Files.exists(store.layout().lock(k)));
            store.purge(Optional.empty());
            assertFalse(Files.exists(store.layout().lock(k)));
            try (KeyLock again = store.lock(k, Duration.ofSeconds(5))) {
                assertTrue(Files.exists(store.layout().lock(k)));
            }
        }
    }

    @Test
    void countersAddUp() throws Exception {
        try (LocalStore store = LocalStore.open(tmp.resolve("s"), 1L << 30)) {
            store.recordHit(100);
            store.recordHit(50);
            store.recordMiss();
            store.recordPassthrough("incremental");
            store.recordPassthrough("incremental");
            store.recordPassthrough("crate-type\tbin\n");
            StoreStats s = store.stats();
            assertEquals(2, s.hits());
            assertEquals(1, s.misses());
            assertEquals(3, s.passthroughs());
            assertEquals(150, s.bytesRestored());
            assertEquals(2L, s.passthroughReasons().get("incremental"));
            assertEquals(1L, s.passthroughReasons().get("crate-type_bin"));
        }
    }
}
