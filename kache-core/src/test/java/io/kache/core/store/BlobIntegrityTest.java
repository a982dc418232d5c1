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
import io.kache.core.hash.Sha256;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A blob whose bytes no longer match its name never reaches a target directory, a newly published
 * entry or an exported pack: it is found, quarantined, and the entry using it dropped.
 */
class BlobIntegrityTest {

    @TempDir
    Path tmp;

    /** The ways a blob is damaged from outside. */
    enum Damage {
        /** One byte flipped in the middle; the mtime changes as any write changes it. */
        FLIPPED,
        /** One byte flipped, then the mtime put back as {@code touch -r} would: only ctime tells. */
        FLIPPED_MTIME_RESTORED,
        /** Cut to half its size. */
        TRUNCATED
    }

    private LocalStore open() throws Exception {
        return LocalStore.open(tmp.resolve("store"), 1L << 30);
    }

    private EntryManifest putLib(LocalStore store, ArtifactKey key, String seed) throws Exception {
        List<OutputFile> outs = StoreFixtures.libOutputs(tmp.resolve("out-" + seed), key.crateName(), seed, 64_000);
        outs = Stream.concat(outs.stream(), Stream.of(StoreFixtures.write(tmp.resolve("out-" + seed), "app-1234",
                StoreFixtures.bytes(seed + "bin", 32_000), true))).toList();
        return store.put(key, outs, new byte[0], new byte[0], Map.of());
    }

    private static void damage(Path blob, Damage how) throws Exception {
        FileTime mtime = Files.getLastModifiedTime(blob);
        try (RandomAccessFile f = new RandomAccessFile(blob.toFile(), "rw")) {
            if (how == Damage.TRUNCATED) {
                f.setLength(f.length() / 2);
            } else {
                long middle = f.length() / 2;
                f.seek(middle);
                int b = f.read();
                f.seek(middle);
                f.write(b ^ 0x5a);
            }
        }
        if (how == Damage.FLIPPED_MTIME_RESTORED) {
            Files.setLastModifiedTime(blob, mtime);
        }
    }

    private static EntryFile file(EntryManifest m, String suffix) {
        return m.files().stream().filter(f -> f.name().endsWith(suffix)).findFirst().orElseThrow();
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void aDamagedRlibBlobIsNeverRestoredAndIsQuarantined(Damage how) throws Exception {
        aDamagedBlobIsNeverRestored(how, ".rlib");
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void aDamagedExecutableBlobIsNeverRestoredAndIsQuarantined(Damage how) throws Exception {
        aDamagedBlobIsNeverRestored(how, "app-1234");
    }

    private void aDamagedBlobIsNeverRestored(Damage how, String suffix) throws Exception {
        try (LocalStore store = open()) {
            ArtifactKey key = StoreFixtures.key("serde", "a");
            EntryManifest m = putLib(store, key, "a");
            // A hit first, as a build would: linked outputs change the blob inode's identity.
            store.restore(store.lookup(key).orElseThrow(), tmp.resolve("first"));
            EntryFile victim = file(m, suffix);
            Path blob = store.blobPath(victim.sha256());
            damage(blob, how);
            byte[] damaged = Files.readAllBytes(blob);

            Path target = tmp.resolve("target");
            CorruptedEntryException e = assertThrows(CorruptedEntryException.class,
                    () -> store.restore(store.lookup(key).orElseThrow(), target));
            assertTrue(e.getMessage().contains("no longer matches its content hash"), e.getMessage());
            assertFalse(Files.exists(target.resolve(victim.name())), "the damaged file never reaches the target");
            assertFalse(Files.exists(target), "nothing of the entry is placed, not even its intact files");
            assertTrue(store.lookup(key).isEmpty(), "the entry is dropped");
            assertFalse(Files.exists(blob), "the damaged blob left blobs/");
            Path evidence = tmp.resolve("store/quarantine/" + victim.sha256() + ".failed");
            assertArrayEquals(damaged, Files.readAllBytes(evidence), "its bytes are kept as evidence");
        }
    }

    @Test
    void anIntactBlobIsNotReadAgainOnRestore() throws Exception {
        try (LocalStore store = open()) {
            ArtifactKey key = StoreFixtures.key("serde", "a");
            putLib(store, key, "a");
            for (int i = 0; i < 3; i++) {
                store.restore(store.lookup(key).orElseThrow(), tmp.resolve("t" + i));
            }
            assertEquals(0, store.hashes().filesHashed(), "blobs are checked by their recorded identity");
        }
        try (LocalStore store = open()) {
            ArtifactKey key = StoreFixtures.key("serde", "a");
            store.restore(store.lookup(key).orElseThrow(), tmp.resolve("again"));
            assertEquals(0, store.hashes().filesHashed(), "and by another process too: the memo is shared");
        }
    }

    @Test
    void aRecompileHealsADamagedBlob() throws Exception {
        try (LocalStore store = open()) {
            ArtifactKey first = StoreFixtures.key("serde", "a");
            EntryManifest m = putLib(store, first, "a");
            EntryFile rlib = file(m, ".rlib");
            Path blob = store.blobPath(rlib.sha256());
            byte[] good = Files.readAllBytes(blob);
            damage(blob, Damage.FLIPPED_MTIME_RESTORED);

            // The same outputs stored again (under another key, as after an edit and a revert).
            ArtifactKey second = StoreFixtures.key("serde", "b");
            putLib(store, second, "a");

            assertArrayEquals(good, Files.readAllBytes(blob), "the fresh copy replaced the damaged blob");
            assertTrue(Files.exists(tmp.resolve("store/quarantine/" + rlib.sha256() + ".failed")));
            Path target = tmp.resolve("target");
            store.restore(store.lookup(second).orElseThrow(), target);
            assertArrayEquals(good, Files.readAllBytes(target.resolve(rlib.name())));
        }
    }

    @Test
    void aDamagedBlobIsNeverExported() throws Exception {
        try (LocalStore store = open()) {
            ArtifactKey key = StoreFixtures.key("serde", "a");
            EntryManifest m = putLib(store, key, "a");
            EntryFile rlib = file(m, ".rlib");
            damage(store.blobPath(rlib.sha256()), Damage.FLIPPED_MTIME_RESTORED);

            CorruptedEntryException e = assertThrows(CorruptedEntryException.class,
                    () -> store.exportPack(key, new ByteArrayOutputStream(), 3));
            assertTrue(e.getMessage().contains(rlib.sha256()), e.getMessage());
            assertFalse(store.contains(key), "the entry is dropped, so no later push finds it");
            assertFalse(Files.exists(store.blobPath(rlib.sha256())));
        }
    }

    @Test
    void anIntactEntryStillExportsAndImportsElsewhere() throws Exception {
        ByteArrayOutputStream pack = new ByteArrayOutputStream();
        ArtifactKey key = StoreFixtures.key("serde", "a");
        try (LocalStore store = open()) {
            putLib(store, key, "a");
            assertTrue(store.exportPack(key, pack, 3));
        }
        try (LocalStore other = LocalStore.open(tmp.resolve("other"), 1L << 30)) {
            other.importPack(key, new java.io.ByteArrayInputStream(pack.toByteArray()));
            assertTrue(other.lookup(key).isPresent());
        }
    }

    @Test
    void verifyReadsEveryBlobQuarantinesTheDamagedAndDropsTheirEntries() throws Exception {
        try (LocalStore store = open()) {
            ArtifactKey a = StoreFixtures.key("serde", "a");
            ArtifactKey b = StoreFixtures.key("serde", "b");
            EntryManifest ma = putLib(store, a, "a");
            EntryManifest mb = putLib(store, b, "b");
            StoreVerification clean = store.verify();
            assertTrue(clean.clean(), clean.toString());
            assertEquals(ma.files().size() + mb.files().size(), clean.blobsChecked());

            EntryFile rlib = file(ma, ".rlib");
            damage(store.blobPath(rlib.sha256()), Damage.FLIPPED_MTIME_RESTORED);
            StoreVerification found = store.verify();
            assertFalse(found.clean());
            assertEquals(List.of(rlib.sha256()), found.damagedBlobs());
            assertEquals(List.of(a), found.droppedEntries());
            assertTrue(store.lookup(a).isEmpty());
            store.restore(store.lookup(b).orElseThrow(), tmp.resolve("target"));
            assertTrue(store.verify().clean(), "what was found is gone; the rest is intact");
        }
    }

    @Test
    void gcRemovesQuarantinedBlobsOnlyAfterAWeek() throws Exception {
        try (LocalStore store = open()) {
            ArtifactKey key = StoreFixtures.key("serde", "a");
            EntryManifest m = putLib(store, key, "a");
            EntryFile rlib = file(m, ".rlib");
            damage(store.blobPath(rlib.sha256()), Damage.TRUNCATED);
            store.verify();
            Path evidence = tmp.resolve("store/quarantine/" + rlib.sha256() + ".failed");
            assertTrue(Files.exists(evidence));

            store.gc(Optional.empty());
            assertTrue(Files.exists(evidence), "fresh evidence stays");
            Files.setLastModifiedTime(evidence, FileTime.from(Instant.now().minus(Quarantine.KEEP)
                    .minus(Duration.ofMinutes(1))));
            store.gc(Optional.empty());
            assertFalse(Files.exists(evidence), "old evidence goes");
        }
    }

    @Test
    void aBlobChangedWithoutTheStoreKnowingIsReadAndFoundIntact() throws Exception {
        try (LocalStore store = open()) {
            ArtifactKey key = StoreFixtures.key("serde", "a");
            EntryManifest m = putLib(store, key, "a");
            EntryFile rlib = file(m, ".rlib");
            Path blob = store.blobPath(rlib.sha256());
            // A new identity with the same bytes (a backup tool's touch): read once, trusted, restored.
            Files.setLastModifiedTime(blob, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
            Path target = tmp.resolve("target");
            store.restore(store.lookup(key).orElseThrow(), target);
            assertEquals(rlib.sha256(), Sha256.of(target.resolve(rlib.name())));
            assertEquals(0, store.hashes().filesHashed());
            assertEquals(1, store.hashes().filesChecksummed(), "read whole, through the checksum taken when it was stored");
        }
    }

    @Test
    void aBlobWhoseRestoredLinkCargoCleanDeletedIsReadThroughItsChecksumNotSha256() throws Exception {
        try (LocalStore store = open()) {
            ArtifactKey key = StoreFixtures.key("serde", "a");
            EntryManifest m = putLib(store, key, "a");
            Path first = tmp.resolve("first");
            store.restore(store.lookup(key).orElseThrow(), first);
            long linked = m.files().stream().filter(Restorer::linkable).count();
            assertTrue(linked >= 2, "an rlib and an rmeta");
            cargoClean(first);
            store.restore(store.lookup(key).orElseThrow(), tmp.resolve("second"));
            assertEquals(0, store.hashes().filesHashed());
            assertEquals(linked, store.hashes().filesChecksummed());
        }
    }

    @Test
    void aPulledBlobIsCheckedThroughTheChecksumTakenAsItsPackWasVerified() throws Exception {
        ByteArrayOutputStream pack = new ByteArrayOutputStream();
        ArtifactKey key = StoreFixtures.key("serde", "a");
        try (LocalStore store = open()) {
            putLib(store, key, "a");
            assertTrue(store.exportPack(key, pack, 3));
        }
        try (LocalStore other = LocalStore.open(tmp.resolve("other"), 1L << 30)) {
            other.importPack(key, new ByteArrayInputStream(pack.toByteArray()));
            EntryManifest m = other.lookup(key).orElseThrow();
            Path first = tmp.resolve("first");
            other.restore(m, first);
            cargoClean(first);
            EntryFile rlib = file(m, ".rlib");
            damage(other.blobPath(rlib.sha256()), Damage.FLIPPED_MTIME_RESTORED);
            assertThrows(CorruptedEntryException.class, () -> other.restore(m, tmp.resolve("second")));
            assertEquals(0, other.hashes().filesHashed(), "found by the checksum alone");
            assertFalse(Files.exists(other.blobPath(rlib.sha256())), "and quarantined");
        }
    }

    /** What cargo clean does to a restored entry: its files go, and each linked blob's ctime moves. */
    private static void cargoClean(Path restored) throws Exception {
        try (Stream<Path> files = Files.list(restored)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
    }
}
