package io.kache.core.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.core.entry.EntryManifest;
import io.kache.core.entry.OutputFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Storing an output from its pin: the pinned bytes, whatever happens to the output; never bytes written since. */
class PinnedOutputTest {

    @TempDir
    Path tmp;

    @Test
    void anOutputReplacedOrDeletedAfterItWasPinnedIsStoredAsPinned() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Path rlib = out.resolve("libx-1.rlib");
        byte[] compiled = StoreFixtures.bytes("compiled", 100_000);
        Files.write(rlib, compiled);
        try (LocalStore store = LocalStore.open(tmp.resolve("store"), 1L << 30)) {
            PinnedOutput pin = store.pin(rlib).orElseThrow();
            // A later compile replaces the output by rename, then cargo clean deletes it.
            Path next = out.resolve("next");
            Files.write(next, StoreFixtures.bytes("recompiled", 100_000));
            Files.move(next, rlib, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.delete(rlib);

            ArtifactKey key = StoreFixtures.key("x", "1");
            EntryManifest m = store.put(key, List.of(new OutputFile("libx-1.rlib", pin.path(),
                    Optional.of(pin.identity()))), null, null, Map.of());
            pin.close();
            Path restored = tmp.resolve("restored");
            store.restore(m, restored);
            assertArrayEquals(compiled, Files.readAllBytes(restored.resolve("libx-1.rlib")));
            try (var left = Files.list(store.root().resolve("tmp"))) {
                assertEquals(List.of(), left.toList(), "the pin is gone once closed");
            }
        }
    }

    @Test
    void commandsWaitForThePinsOfALiveProcessOnly() throws Exception {
        Path rlib = Files.createDirectories(tmp.resolve("out")).resolve("libx-1.rlib");
        Files.write(rlib, StoreFixtures.bytes("compiled", 1000));
        try (LocalStore store = LocalStore.open(tmp.resolve("store"), 1L << 30)) {
            assertTrue(store.awaitStoresInFlight(Duration.ZERO), "nothing in flight");
            PinnedOutput pin = store.pin(rlib).orElseThrow();
            assertFalse(store.awaitStoresInFlight(Duration.ofMillis(30)), "this process is storing");
            pin.close();
            assertTrue(store.awaitStoresInFlight(Duration.ZERO), "stored");
            // A pin left by a process that died (kill -9 of the server) is no store in flight.
            Files.createLink(store.root().resolve("tmp/999999999-1-0.pin"), rlib);
            assertTrue(store.awaitStoresInFlight(Duration.ZERO), "a dead process's pin does not count");
        }
    }

    @Test
    void anOutputWrittenIntoAfterItWasPinnedIsNotStored() throws Exception {
        Path rlib = Files.createDirectories(tmp.resolve("out")).resolve("libx-1.rlib");
        Files.write(rlib, StoreFixtures.bytes("compiled", 100_000));
        try (LocalStore store = LocalStore.open(tmp.resolve("store"), 1L << 30)) {
            PinnedOutput pin = store.pin(rlib).orElseThrow();
            // Written in place through the output's own name: the pin shares the inode and sees it.
            Files.write(rlib, new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
            assertFalse(pin.unchanged());

            ArtifactKey key = StoreFixtures.key("x", "1");
            IOException e = assertThrows(IOException.class, () -> store.put(key,
                    List.of(new OutputFile("libx-1.rlib", pin.path(), Optional.of(pin.identity()))), null, null,
                    Map.of()));
            assertTrue(e.getMessage().contains("changed while it was stored"), e.getMessage());
            assertTrue(store.lookup(key).isEmpty(), "nothing visible");
            pin.close();
        }
    }
}
