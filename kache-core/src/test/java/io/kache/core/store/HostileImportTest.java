package io.kache.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.api.CorruptedEntryException;
import io.kache.core.pack.HostilePackTest;
import io.kache.core.pack.PaddedPack;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Hostile packs imported into a store: refused, and the store left as it was. */
class HostileImportTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.kache.core.pack.HostilePackTest#corpus")
    void importIsRefusedAndLeavesNothing(String name, byte[] pack, String expected) throws Exception {
        Path root = tmp.resolve("store");
        try (LocalStore store = LocalStore.open(root, 1L << 30)) {
            CorruptedEntryException e = assertThrows(CorruptedEntryException.class,
                    () -> store.importPack(HostilePackTest.KEY, new ByteArrayInputStream(pack)));
            assertTrue(e.getMessage().contains(HostilePackTest.KEY.toString()), name + ": " + e.getMessage());
            assertFalse(store.contains(HostilePackTest.KEY));
            assertEquals(List.of(), store.list(Optional.empty()));
            try (Stream<Path> files = Files.walk(root)) {
                List<Path> written = files.filter(Files::isRegularFile)
                        .filter(p -> !p.getFileName().toString().equals("store.lock")).toList();
                assertEquals(List.of(), written, name);
            }
            try (Stream<Path> outside = Files.list(tmp)) {
                assertEquals(List.of(root), outside.toList(), name + ": nothing written beside the store");
            }
        }
    }

    /** A bucket writer's denial of service: an entry of the store's own export, padded by 1 GiB. */
    @Test
    void aPackPaddedWithSkippableFramesIsRefusedLongBeforeThePaddingEnds() throws Exception {
        ArtifactKey key = StoreFixtures.key("padded", "1");
        ByteArrayOutputStream exported = new ByteArrayOutputStream();
        try (LocalStore source = LocalStore.open(tmp.resolve("source"), 1L << 30)) {
            source.put(key, List.of(StoreFixtures.write(tmp.resolve("out"), "libpadded.rlib",
                    "hello world".getBytes(StandardCharsets.UTF_8), false)), new byte[0], new byte[0], Map.of());
            source.exportPack(key, exported, 3);
        }
        Path root = tmp.resolve("store");
        try (LocalStore store = LocalStore.open(root, 1L << 30)) {
            PaddedPack padded = PaddedPack.after(exported.toByteArray(), 1024);
            CorruptedEntryException e = assertThrows(CorruptedEntryException.class, () -> store.importPack(key, padded));
            assertTrue(e.getMessage().contains(key.toString()) && e.getMessage().contains("runs ahead of its content"),
                    e.getMessage());
            assertTrue(padded.bytesRead() < 4L << 20, padded.bytesRead() + " of " + padded.length() + " bytes read");
            assertFalse(store.contains(key));
            try (Stream<Path> files = Files.walk(root)) {
                assertEquals(List.of(), files.filter(Files::isRegularFile)
                        .filter(p -> !p.getFileName().toString().equals("store.lock")).toList());
            }
        }
    }
}
