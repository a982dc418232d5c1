package io.kache.core.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.api.CorruptedEntryException;
import io.kache.core.entry.EntryFile;
import io.kache.core.entry.EntryManifest;
import io.kache.core.entry.OutputFile;
import io.kache.core.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStoreTest {

    @TempDir
    Path tmp;

    LocalStore open() throws Exception {
    return LocalStore.open(tmp.resolve("store"), 1L << 30);
    }

    @Test
    void aFileAsTheRootIsSaidToBeAFileNotADirectory() throws Exception {
        // The wrapper passes through with this message, and doctor shows it: the root is what was set.
        Path file = Files.writeString(tmp.resolve("store"), "x");
        java.io.IOException e = assertThrows(java.nio.file.NotDirectoryException.class,
                () -> LocalStore.open(file, 1L << 30));
        assertEquals(file + " is a file, not a directory", e.getMessage());
        assertEquals("x", Files.readString(file));
    }

    @Test
    void missReturnsEmpty() throws Exception {
        try (LocalStore store = open()) {
            assertTrue(store.lookup(StoreFixtures.key("serde", "a")).isEmpty());
            assertFalse(store.contains(StoreFixtures.key("serde", "a")));
        }
    }

    /**
     * Marking an entry used is for eviction's order only: an entry whose time this process may not
     * set (another user's in a shared store, a read-only mount) is a hit all the same. Made here with
     * the immutable attribute, which refuses root too; skipped where {@code chattr} cannot set it.
     */
    @Test
    void anEntryWhoseTimeCannotBeSetIsStillAHit() throws Exception {
        try (LocalStore store = open()) {
            ArtifactKey key = StoreFixtures.key("serde", "a");
            EntryManifest put = store.put(key, StoreFixtures.libOutputs(tmp.resolve("out"), "serde", "a", 10_000),
                    null, null, Map.of());
            Path entry = store.layout().entry(key);
            org.junit.jupiter.api.Assumptions.assumeTrue(chattr("+i", entry), "chattr +i is not available here");
            try {
                assertEquals(put, store.lookup(key).orElseThrow());
            } finally {
                assertTrue(chattr("-i", entry));
            }
        }
    }

    private static boolean chattr(String flag, Path file) throws Exception {
        try {
            Process p = new ProcessBuilder("chattr", flag, file.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor() == 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void putThenLookupReturnsTheManifest() throws Exception {
        try (LocalStore store = open()) {
            ArtifactKey key = StoreFixtures.key("serde", "a");
            List<OutputFile> outs = StoreFixtures.libOutputs(tmp.resolve("out"), "serde", "a", 10_000);
            EntryManifest put = store.put(key, outs, "out".getBytes(StandardCharsets.UTF_8),
                    "warning: x".getBytes(StandardCharsets.UTF_8), Map.of("emit", "link"));
            EntryManifest got = store.lookup(key).orElseThrow();
            assertEquals(put, got);
            assertEquals(3, got.files().size());
            assertEquals("warning: x", new String(got.stderr(), StandardCharsets.UTF_8));
            for (OutputFile o : outs) {
                EntryFile f = got.file(o.name()).orElseThrow();
                assertEquals(Sha256.of(o.source()), f.sha256());
                assertEquals(Files.size(o.source()), f.size());
            }
            assertTrue(store.contains(key));
        }
    }

    @Test
    void putIsIdempotent() throws Exception {
        try (LocalStore store = open()) {
            ArtifactKey key = StoreFixtures.key("serde", "a");
            List<OutputFile> outs = StoreFixtures.libOutputs(tmp.resolve("out"), "serde", "a", 1000);
            EntryManifest first = store.put(key, outs, null, null, Map.of());
            EntryManifest second = store.put(key, outs, null, null, Map.of());
            assertEquals(first, second);
            assertEquals(1, store.list(Optional.empty()).size());
        }
    }

    @Test
    void identicalContentIsStoredOnce() throws Exception {
        try (LocalStore store = open()) {
            byte[] same = StoreFixtures.bytes("shared", 50_000);
            OutputFile a = StoreFixtures.write(tmp.resolve("a"), "libx-1.rlib", same, false);
            OutputFile b = StoreFixtures.write(tmp.resolve("b"), "libx-2.rlib", same, false);
            store.put(StoreFixtures.key("x", "1"), List.of(a), null, null, Map.of());
            store.put(StoreFixtures.key("x", "2"), List.of(b), null, null, Map.of());
            StoreStats stats = store.stats();
            assertEquals(2, stats.entries());
            assertEquals(50_000, stats.uniqueBytes());
        }
    }

    @Test
    void executableBitIsRecorded() throws Exception {
        try (LocalStore store = open()) {
            OutputFile bin = StoreFixtures.write(tmp.resolve("o"), "build_script_build-99",
                    StoreFixtures.bytes("bin", 4000), true);
            EntryManifest m = store.put(StoreFixtures.key("build_script_build", "b"), List.of(bin), null, null,
                    Map.of());
            assertTrue(m.files().get(0).executable());
        }
    }

    @Test
    void duplicateOutputNamesAreRefused() throws Exception {
        try (LocalStore store = open()) {
            OutputFile a = StoreFixtures.write(tmp.resolve("o"), "liba.rlib", new byte[3], false);
            assertThrows(IllegalArgumentException.class,
                    () -> store.put(StoreFixtures.key("a", "a"), List.of(a, a), null, null, Map.of()));
        }
    }

    @Test
    void damagedManifestIsAMissAndIsDropped() throws Exception {
        try (LocalStore store = open()) {
            ArtifactKey key = StoreFixtures.key("serde", "a");
            store.put(key, StoreFixtures.libOutputs(tmp.resolve("out"), "serde", "a", 100), null, null, Map.of());
            Path file = store.layout().entry(key);
            byte[] b = Files.readAllBytes(file);
            b[b.length / 2] ^= 1;
            Files.write(file, b);
            assertTrue(store.lookup(key).isEmpty());
            assertFalse(Files.exists(file));
        }
    }

    @Test
    void lookupMarksTheEntryUsed() throws Exception {
        try (LocalStore store = open()) {
            ArtifactKey key = StoreFixtures.key("serde", "a");
            store.put(key, StoreFixtures.libOutputs(tmp.resolve("out"), "serde", "a", 100), null, null, Map.of());
            Path file = store.layout().entry(key);
            Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
            store.lookup(key);
            assertTrue(Files.getLastModifiedTime(file).toInstant().isAfter(Instant.parse("2025-01-01T00:00:00Z")));
        }
    }

    @Test
    void restorePlacesEveryFileWithItsContent() throws Exception {
        try (LocalStore store = open()) {
            ArtifactKey key = StoreFixtures.key("serde", "a");
            List<OutputFile> outs = StoreFixtures.libOutputs(tmp.resolve("out"), "serde", "a", 10_000);
            EntryManifest m = store.put(key, outs, null, null, Map.of());
            Path target = tmp.resolve("target/debug/deps");
            long bytes = store.restore(m, target);
            assertEquals(m.totalSize(), bytes);
            for (OutputFile o : outs) {
                assertArrayEquals(Files.readAllBytes(o.source()), Files.readAllBytes(target.resolve(o.name())));
            }
        }
    }

    @Test
    void aRewrittenTextFileIsWrittenOnceAsItsRewriteAndTheBlobStaysAsItWas() throws Exception {
        try (LocalStore store = open()) {
            ArtifactKey key = StoreFixtures.key("serde", "a");
            List<OutputFile> outs = StoreFixtures.libOutputs(tmp.resolve("out"), "serde", "a", 10_000);
            EntryManifest m = store.put(key, outs, null, null, Map.of());
            EntryFile dep = m.files().stream().filter(f -> f.name().endsWith(".d")).findFirst().orElseThrow();
            String blobText = Files.readString(store.blobPath(dep.sha256()));
            Path target = tmp.resolve("target");
            store.restore(m, target, Optional.of(new RewrittenText(dep.name(), t -> "rewritten:" + t)));
            assertEquals("rewritten:" + blobText, Files.readString(target.resolve(dep.name())));
            assertEquals(blobText, Files.readString(store.blobPath(dep.sha256())), "the blob is untouched");
            for (OutputFile o : outs) {
                if (!o.name().equals(dep.name())) {
                    assertArrayEquals(Files.readAllBytes(o.source()), Files.readAllBytes(target.resolve(o.name())));
                }
            }
            try (var names = Files.list(target)) {
                assertEquals(outs.size(), names.count(), "no temporary file left beside the outputs");
            }
        }
    }

    @Test
    void rlibAndRmetaAreHardLinkedOthersCopied() throws Exception {
        try (LocalStore store = open()) {
            ArtifactKey key = StoreFixtures.key("serde", "a");
            List<OutputFile> outs = StoreFixtures.libOutputs(tmp.resolve("out"), "serde", "a", 10_000);
            EntryManifest m = store.put(key, outs, null, null, Map.of());
            Path target = tmp.resolve("target");
            store.restore(m, target);
            for (EntryFile f : m.files()) {
                Object blobKey = Files.readAttributes(store.blobPath(f.sha256()), BasicFileAttributes.class).fileKey();
                Object restoredKey = Files.readAttributes(target.resolve(f.name()), BasicFileAttributes.class)
                        .fileKey();
                if (f.name().endsWith(".d")) {
                    assertNotEquals(blobKey, restoredKey, f.name());
                } else {
                    assertEquals(blobKey, restoredKey, f.name());
                }
            }
        }
    }

    /**
     * A blob another target directory links is copied, not linked again: the links of one inode share
     * its mtime, which each restore sets, so a hit in checkout B would make A's rlib look newer to
     * cargo than a dependency rebuilt in A since. The same target restored again still links.
     */
    @Test
    void aBlobLinkedIntoAnotherTargetIsCopiedAndTheSameTargetStillLinks() throws Exception {
        try (LocalStore store = open()) {
            ArtifactKey key = StoreFixtures.key("serde", "a");
            List<OutputFile> outs = StoreFixtures.libOutputs(tmp.resolve("out"), "serde", "a", 10_000);
            EntryManifest m = store.put(key, outs, null, null, Map.of());
            Path a = tmp.resolve("checkout-a/target");
            Path b = tmp.resolve("checkout-b/target");
            store.restore(m, a);
            store.restore(m, b);
            store.restore(m, a);
            for (EntryFile f : m.files()) {
                if (f.name().endsWith(".rlib") || f.name().endsWith(".rmeta")) {
                    Path blob = store.blobPath(f.sha256());
                    assertTrue(Files.isSameFile(blob, a.resolve(f.name())), "A, restored again, links: " + f.name());
                    assertFalse(Files.isSameFile(blob, b.resolve(f.name())), "B copies: " + f.name());
                    assertArrayEquals(Files.readAllBytes(blob), Files.readAllBytes(b.resolve(f.name())));
                }
            }
        }
    }

    @Test
    void executablesAreCopiesWithExecutePermission() throws Exception {
        try (LocalStore store = open()) {
            OutputFile bin = StoreFixtures.write(tmp.resolve("o"), "build_script_build-99",
                    StoreFixtures.bytes("bin", 4000), true);
            EntryManifest m = store.put(StoreFixtures.key("b", "b"), List.of(bin), null, null, Map.of());
            Path target = tmp.resolve("target");
            store.restore(m, target);
            Path restored = target.resolve("build_script_build-99");
            assertTrue(Files.getPosixFilePermissions(restored).contains(PosixFilePermission.OWNER_EXECUTE));
            // A linker or strip rewriting the restored binary in place must not reach the blob.
            Files.write(restored, new byte[] {1, 2, 3});
            assertEquals(m.files().get(0).sha256(), Sha256.of(store.blobPath(m.files().get(0).sha256())));
        }
    }

    @Test
    void restoreReplacesExistingFilesAndGivesThemTheCurrentMtime() throws Exception {
        try (LocalStore store = open()) {
            ArtifactKey key = StoreFixtures.key("serde", "a");
            List<OutputFile> outs = StoreFixtures.libOutputs(tmp.resolve("out"), "serde", "a", 1000);
            EntryManifest m = store.put(key, outs, null, null, Map.of());
            Path target = tmp.resolve("target");
            Files.createDirectories(target);
            for (EntryFile f : m.files()) {
                Files.writeString(target.resolve(f.name()), "stale");
                Files.setLastModifiedTime(target.resolve(f.name()), FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));
            }
            Instant before = Instant.now().minusSeconds(2);
            store.restore(m, target);
            for (EntryFile f : m.files()) {
                Path p = target.resolve(f.name());
                assertEquals(f.sha256(), Sha256.of(p));
                assertTrue(Files.getLastModifiedTime(p).toInstant().isAfter(before), f.name());
            }
            try (var leftovers = Files.list(target)) {
                assertEquals(3, leftovers.count(), "no temp files left beside the targets");
            }
        }
    }

    @Test
    void restoredFilesAreKnownToTheHashMemo() throws Exception {
        try (LocalStore store = open()) {
            ArtifactKey key = StoreFixtures.key("serde", "a");
            EntryManifest m = store.put(key, StoreFixtures.libOutputs(tmp.resolve("out"), "serde", "a", 1000),
                    null, null, Map.of());
            Path target = tmp.resolve("target");
            store.restore(m, target);
            long before = store.hashes().filesHashed();
            for (EntryFile f : m.files()) {
                assertEquals(f.sha256(), store.hashes().sha256(target.resolve(f.name())));
            }
            assertEquals(before, store.hashes().filesHashed(), "no file was read to hash it");
        }
    }

    @Test
    void missingBlobIsACorruptedEntryAndTheEntryIsDropped() throws Exception {
        try (LocalStore store = open()) {
            ArtifactKey key = StoreFixtures.key("serde", "a");
            EntryManifest m = store.put(key, StoreFixtures.libOutputs(tmp.resolve("out"), "serde", "a", 1000),
                    null, null, Map.of());
            Files.delete(store.blobPath(m.files().get(1).sha256()));
            CorruptedEntryException e = assertThrows(CorruptedEntryException.class,
                    () -> store.restore(m, tmp.resolve("target")));
            assertTrue(e.getMessage().contains(key.toString()), e.getMessage());
            assertTrue(e.getMessage().contains(m.files().get(1).name()), e.getMessage());
            assertFalse(store.contains(key));
        }
    }

    @Test
    void restoreToAnotherFileSystemCopiesInsteadOfLinking() throws Exception {
        Path shm = Path.of("/dev/shm");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(shm) && Files.isWritable(shm)
                && !Files.getFileStore(shm).equals(Files.getFileStore(tmp)), "needs a second file system at /dev/shm");
        Path target = Files.createTempDirectory(shm, "kache-test");
        try (LocalStore store = open()) {
            EntryManifest m = store.put(StoreFixtures.key("serde", "a"),
                    StoreFixtures.libOutputs(tmp.resolve("out"), "serde", "a", 5000), null, null, Map.of());
            store.restore(m, target);
            for (EntryFile f : m.files()) {
                Path p = target.resolve(f.name());
                assertEquals(f.sha256(), Sha256.of(p));
                assertEquals(1, (int) Files.getAttribute(p, "unix:nlink"), f.name());
            }
        } finally {
            try (var files = Files.walk(target)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
