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
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackTransferTest {

    @TempDir
    Path tmp;

    ArtifactKey key = StoreFixtures.key("serde", "k");

    byte[] exportFrom(LocalStore store, ArtifactKey k) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(store.exportPack(k, out, 3));
        return out.toByteArray();
    }

    LocalStore storeWithEntry(String name) throws IOException {
        LocalStore s = LocalStore.open(tmp.resolve(name), 1L << 30);
        List<OutputFile> outs = StoreFixtures.libOutputs(tmp.resolve("out-" + name), "serde", "k", 200_000);
        s.put(key, outs, "o".getBytes(StandardCharsets.UTF_8), "e".getBytes(StandardCharsets.UTF_8),
                Map.of("a", "b"));
        return s;
    }

    @Test
    void exportThenImportRestoresTheSameFiles() throws Exception {
        try (LocalStore a = storeWithEntry("a"); LocalStore b = LocalStore.open(tmp.resolve("b"), 1L << 30)) {
            b.importPack(key, new ByteArrayInputStream(exportFrom(a, key)));
            EntryManifest m = b.lookup(key).orElseThrow();
            assertEquals(a.lookup(key).orElseThrow(), m);
            b.restore(m, tmp.resolve("target"));
            for (EntryFile f : m.files()) {
                assertArrayEquals(Files.readAllBytes(tmp.resolve("out-a").resolve(f.name())),
                        Files.readAllBytes(tmp.resolve("target").resolve(f.name())));
            }
        }
    }

    @Test
    void exportIsDeterministicAcrossStores() throws Exception {
        try (LocalStore a = storeWithEntry("a"); LocalStore b = storeWithEntry("b")) {
            assertArrayEquals(exportFrom(a, key), exportFrom(b, key));
            assertArrayEquals(exportFrom(a, key), exportFrom(a, key));
        }
    }

    @Test
    void exportOfAMissingKeyWritesNothing() throws Exception {
        try (LocalStore a = LocalStore.open(tmp.resolve("a"), 1L << 30)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertFalse(a.exportPack(key, out, 3));
            assertEquals(0, out.size());
        }
    }

    @Test
    void importIsIdempotent() throws Exception {
        try (LocalStore a = storeWithEntry("a"); LocalStore b = LocalStore.open(tmp.resolve("b"), 1L << 30)) {
            byte[] pack = exportFrom(a, key);
            b.importPack(key, new ByteArrayInputStream(pack));
            b.importPack(key, new ByteArrayInputStream(pack));
            assertEquals(1, b.list(java.util.Optional.empty()).size());
        }
    }

    @Test
    void corruptPackLeavesTheStoreUntouched() throws Exception {
        try (LocalStore a = storeWithEntry("a"); LocalStore b = LocalStore.open(tmp.resolve("b"), 1L << 30)) {
            byte[] pack = exportFrom(a, key);
            pack[pack.length * 2 / 3] ^= 0x20;
            assertThrows(CorruptedEntryException.class, () -> b.importPack(key, new ByteArrayInputStream(pack)));
            assertFalse(b.contains(key));
            assertEquals(List.of(), filesUnder(b.layout().tmpDir()));
            assertEquals(List.of(), filesUnder(b.layout().blobsDir()));
        }
    }

    @Test
    void packOfAnotherKeyIsRefused() throws Exception {
        try (LocalStore a = storeWithEntry("a"); LocalStore b = LocalStore.open(tmp.resolve("b"), 1L << 30)) {
            ArtifactKey other = StoreFixtures.key("serde", "other");
            CorruptedEntryException e = assertThrows(CorruptedEntryException.class,
                    () -> b.importPack(other, new ByteArrayInputStream(exportFrom(a, key))));
            assertTrue(e.getMessage().contains(other.toString()), e.getMessage());
            assertFalse(b.contains(other));
            assertFalse(b.contains(key));
        }
    }

    @Test
    void failingSourceIsReportedAsItsOwnError() throws Exception {
        try (LocalStore a = storeWithEntry("a"); LocalStore b = LocalStore.open(tmp.resolve("b"), 1L << 30)) {
            byte[] pack = exportFrom(a, key);
            InputStream failing = new InputStream() {
                int pos;

                @Override
                public int read() throws IOException {
                    if (pos >= pack.length / 2) {
                        throw new IOException("connection reset");
                    }
                    return pack[pos++] & 0xff;
                }
            };
            IOException e = assertThrows(IOException.class, () -> b.importPack(key, failing));
            assertFalse(e instanceof CorruptedEntryException, e.toString());
            assertEquals("connection reset", e.getMessage());
            assertEquals(List.of(), filesUnder(b.layout().tmpDir()));
        }
    }

    static List<Path> filesUnder(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }
}
