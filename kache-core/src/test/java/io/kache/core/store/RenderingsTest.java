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
import io.kache.core.entry.ManifestCodec;
import io.kache.core.entry.OutputFile;
import io.kache.core.entry.Rendering;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An entry serves every rendering of its diagnostics it was given: a compile of an entry already
 * stored, with diagnostic flags it has no rendering for, adds its own (files never change), and a
 * later lookup finds each rendering by its exact flags. Before, the put kept the entry as it was, so
 * a build with other flags (cargo's --message-format=short, a terminal's --diagnostic-width) missed on
 * every run.
 */
class RenderingsTest {

    @TempDir
    Path tmp;

    final ArtifactKey key = StoreFixtures.key("warned", "k");
    private int compiles;

    LocalStore open(String name) throws Exception {
        return LocalStore.open(tmp.resolve(name), 1L << 30);
    }

    /** A compile of the entry's call with diagnostic flags {@code flags}: same output names, its own bytes. */
    EntryManifest compile(LocalStore store, String flags, String stderr) throws Exception {
        return compile(store, flags, stderr, "k");
    }

    EntryManifest compile(LocalStore store, String flags, String stderr, String contentSeed) throws Exception {
        List<OutputFile> outs = StoreFixtures.libOutputs(tmp.resolve("out" + compiles++), "warned", contentSeed, 5_000);
        return store.put(key, outs, bytes("out " + flags), stderr.getBytes(StandardCharsets.UTF_8), Map.of(
                EntryManifest.DIAGNOSTIC_FLAGS, flags, EntryManifest.NOTIFICATIONS, "{\"artifact\":\"" + flags + "\"}\n",
                "call-key", "c"));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aCompileWithOtherFlagsAddsItsRenderingAndBothAreServed() throws Exception {
        try (LocalStore store = open("s")) {
            EntryManifest first = compile(store, "--error-format=json", "warning: unused (json)");
            compile(store, "--error-format=short", "warning: unused (short)");
            EntryManifest m = store.lookup(key).orElseThrow();
            Rendering json = m.renderedWith("--error-format=json").orElseThrow();
            Rendering shrt = m.renderedWith("--error-format=short").orElseThrow();
            assertEquals("warning: unused (json)", json.stderr());
            assertEquals("out --error-format=json", json.stdout());
            assertEquals("warning: unused (short)", shrt.stderr());
            assertEquals("out --error-format=short", shrt.stdout());
            assertEquals("{\"artifact\":\"--error-format=short\"}\n", shrt.notifications());
            assertTrue(m.renderedWith("--error-format=human").isEmpty());
            // The entry's own part is the first compile's, as it was.
            assertEquals(first.files(), m.files());
            assertArrayEquals(first.stderr(), m.stderr());
            assertEquals(first.attributes(), m.attributes());
        }
    }

    @Test
    void anotherCompilesBytesNeverReplaceTheEntrysFiles() throws Exception {
        try (LocalStore store = open("s")) {
            EntryManifest first = compile(store, "a", "w", "first");
            compile(store, "b", "w b", "second bytes");
            EntryManifest m = store.lookup(key).orElseThrow();
            assertEquals(first.files(), m.files());
            assertTrue(m.renderedWith("b").isPresent());
            store.restore(m, tmp.resolve("target"));
            for (EntryFile f : m.files()) {
                assertArrayEquals(Files.readAllBytes(tmp.resolve("out0").resolve(f.name())),
                        Files.readAllBytes(tmp.resolve("target").resolve(f.name())), f.name());
            }
        }
    }

    @Test
    void aRenderingAlreadyThereLeavesTheManifestAsItIs() throws Exception {
        try (LocalStore store = open("s")) {
            compile(store, "a", "w a");
            compile(store, "b", "w b");
            byte[] before = Files.readAllBytes(store.layout().entry(key));
            compile(store, "a", "w a again");
            compile(store, "b", "w b again");
            assertArrayEquals(before, Files.readAllBytes(store.layout().entry(key)));
            assertEquals("w b", store.lookup(key).orElseThrow().renderedWith("b").orElseThrow().stderr());
        }
    }

    @Test
    void otherOutputNamesAddNothing() throws Exception {
        try (LocalStore store = open("s")) {
            compile(store, "a", "w a");
            byte[] before = Files.readAllBytes(store.layout().entry(key));
            Path dir = Files.createDirectories(tmp.resolve("other"));
            store.put(key, List.of(StoreFixtures.write(dir, "libwarned-9999.rlib", bytes("x"), false)), null,
                    bytes("w b"), Map.of(EntryManifest.DIAGNOSTIC_FLAGS, "b"));
            assertArrayEquals(before, Files.readAllBytes(store.layout().entry(key)));
        }
    }

    @Test
    void theNewestRenderingsAreKeptUpToTheCap() throws Exception {
        try (LocalStore store = open("s")) {
            compile(store, "own", "w own");
            for (int i = 1; i <= EntryManifest.MAX_RENDERINGS + 2; i++) {
                compile(store, "f" + i, "w " + i);
            }
            EntryManifest m = store.lookup(key).orElseThrow();
            assertEquals(EntryManifest.MAX_RENDERINGS, m.renderings().size());
            assertEquals(List.of("f3", "f4", "f5", "f6"), m.renderings().stream().map(Rendering::flags).toList());
            assertTrue(m.renderedWith("f1").isEmpty());
            assertEquals("w own", m.renderedWith("own").orElseThrow().stderr());
            assertEquals("w 6", m.renderedWith("f6").orElseThrow().stderr());
        }
    }

    @Test
    void aRenderingTooLongIsNotAdded() throws Exception {
        try (LocalStore store = open("s")) {
            compile(store, "a", "w a");
            compile(store, "b", "w".repeat((int) EntryManifest.MAX_RENDERING_CHARS));
            EntryManifest m = store.lookup(key).orElseThrow();
            assertTrue(m.renderedWith("b").isEmpty());
            assertTrue(m.renderings().isEmpty());
        }
    }

    @Test
    void theStoreGrowsByWhatTheRenderingAdds() throws Exception {
        try (LocalStore store = open("s")) {
            compile(store, "a", "w a");
            long before = sizeEstimate(store);
            long file = Files.size(store.layout().entry(key));
            compile(store, "b", "w b");
            long grown = Files.size(store.layout().entry(key)) - file;
            assertTrue(grown > 0);
            assertEquals(before + grown, sizeEstimate(store));
        }
    }

    /**
     * Readers racing the replace of a manifest read the one before or the one after, whole: never a
     * half-written file, never a missing entry. And no temp file is left.
     */
    @Test
    void readersSeeTheOldOrTheNewManifestWhole() throws Exception {
        try (LocalStore store = open("s")) {
            compile(store, "own", "w own");
            AtomicBoolean done = new AtomicBoolean();
            AtomicInteger reads = new AtomicInteger();
            AtomicReference<Throwable> failed = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                try (LocalStore other = open("s")) {
                    while (!done.get()) {
                        Optional<EntryManifest> m = other.lookup(key);
                        if (m.isEmpty()) {
                            throw new AssertionError("the entry went missing");
                        }
                        assertEquals("w own", m.get().renderedWith("own").orElseThrow().stderr());
                        reads.incrementAndGet();
                    }
                } catch (Throwable t) {
                    failed.set(t);
                }
            });
            reader.start();
            try {
                for (int i = 0; i < 60; i++) {
                    compile(store, "f" + i, "w " + i);
                }
            } finally {
                done.set(true);
                reader.join();
            }
            if (failed.get() != null) {
                throw new AssertionError(failed.get());
            }
            assertTrue(reads.get() > 0);
            assertEquals("w 59", store.lookup(key).orElseThrow().renderedWith("f59").orElseThrow().stderr());
            try (var left = Files.list(store.layout().tmpDir())) {
                assertEquals(List.of(), left.filter(p -> p.getFileName().toString().endsWith("entry")).toList());
            }
        }
    }

    @Test
    void aDamagedManifestWithRenderingsIsDroppedLikeAnyOther() throws Exception {
        try (LocalStore store = open("s")) {
            compile(store, "a", "w a");
            compile(store, "b", "w b");
            Path file = store.layout().entry(key);
            byte[] bytes = Files.readAllBytes(file);
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            int at = text.indexOf("w b");
            bytes[at] ^= 1;
            Files.write(file, bytes);
            assertTrue(store.lookup(key).isEmpty());
            assertFalse(store.contains(key));
        }
    }

    @Test
    void packsCarryTheRenderingsTheEntryHasWhenExported() throws Exception {
        try (LocalStore a = open("a"); LocalStore b = open("b"); LocalStore c = open("c")) {
            compile(a, "a", "w a");
            byte[] before = export(a);
            compile(a, "b", "w b");
            byte[] after = export(a);
            assertNotEquals(List.of(before), List.of(after));

            b.importPack(key, new ByteArrayInputStream(after));
            EntryManifest m = b.lookup(key).orElseThrow();
            assertEquals(a.lookup(key).orElseThrow(), m);
            assertEquals("w b", m.renderedWith("b").orElseThrow().stderr());
            assertArrayEquals(after, export(b), "exported again, the same pack");

            c.importPack(key, new ByteArrayInputStream(before));
            assertTrue(c.lookup(key).orElseThrow().renderings().isEmpty());
        }
    }

    @Test
    void aPackWhoseRenderingIsDamagedIsRefused() throws Exception {
        try (LocalStore a = open("a"); LocalStore b = open("b")) {
            compile(a, "a", "w a");
            compile(a, "b", "w b");
            byte[] pack = export(a);
            // Bits flipped all along the pack: each damaged copy is refused and leaves nothing behind.
            for (int i = 0; i < pack.length; i += Math.max(1, pack.length / 50)) {
                byte[] damaged = pack.clone();
                damaged[i] ^= 0x10;
                assertThrows(CorruptedEntryException.class, () -> b.importPack(key, new ByteArrayInputStream(damaged)),
                        "byte " + i);
                assertFalse(b.contains(key), "byte " + i);
            }
        }
    }

    @Test
    void aManifestWithAHostileRenderingIsRefused() throws Exception {
        EntryManifest m = new EntryManifest(key, List.of(), null, bytes("w"), Map.of(EntryManifest.DIAGNOSTIC_FLAGS, "a"),
                List.of(new Rendering("b", "", "w b", "")));
        assertEquals(m, ManifestCodec.decode(ManifestCodec.encode(m), "test"));
        // Own flags again, twice the same flags, more than the cap, too long: none is a manifest.
        assertThrows(IllegalArgumentException.class, () -> new EntryManifest(key, List.of(), null, bytes("w"),
                Map.of(EntryManifest.DIAGNOSTIC_FLAGS, "a"), List.of(new Rendering("a", "", "x", ""))));
        assertThrows(IllegalArgumentException.class, () -> new EntryManifest(key, List.of(), null, bytes("w"),
                Map.of(), List.of(new Rendering("b", "", "x", ""), new Rendering("b", "", "y", ""))));
        List<Rendering> many = new ArrayList<>();
        for (int i = 0; i <= EntryManifest.MAX_RENDERINGS; i++) {
            many.add(new Rendering("f" + i, "", "x", ""));
        }
        assertThrows(IllegalArgumentException.class, () -> new EntryManifest(key, List.of(), null, bytes("w"),
                Map.of(), many));
        assertThrows(IllegalArgumentException.class, () -> new EntryManifest(key, List.of(), null, bytes("w"),
                Map.of(), List.of(new Rendering("b", "", "x".repeat((int) EntryManifest.MAX_RENDERING_CHARS), ""))));
        assertThrows(IllegalArgumentException.class, () -> new EntryManifest(key, List.of(), null, bytes("w"),
                Map.of(EntryManifest.RESERVED_PREFIX + "1.flags", "b")));
    }

    private static long sizeEstimate(LocalStore store) throws Exception {
        return new Counters(store.layout()).read()[Counters.SIZE_ESTIMATE];
    }

    private byte[] export(LocalStore store) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(store.exportPack(key, out, 3));
        return out.toByteArray();
    }
}
