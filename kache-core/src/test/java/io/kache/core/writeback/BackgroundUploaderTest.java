package io.kache.core.writeback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactSource;
import io.kache.api.ArtifactStore;
import io.kache.api.EntryReader;
import io.kache.api.StoreAccessDeniedException;
import io.kache.api.StoreException;
import io.kache.core.entry.OutputFile;
import io.kache.core.store.LocalStore;
import io.kache.core.store.PendingUploads;
import io.kache.testkit.InMemoryArtifactStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The write-back drains the queue of entries compiled here into the remote, and stops where it must. */
class BackgroundUploaderTest {

    @TempDir
    Path temp;
    LocalStore store;
    PendingUploads queue;
    InMemoryArtifactStore remote = new InMemoryArtifactStore();

    @BeforeEach
    void setUp() throws IOException {
        store = LocalStore.open(temp.resolve("store"), 1L << 30);
        queue = store.pendingUploads();
    }

    @AfterEach
    void close() throws IOException {
        store.close();
    }

    @Test
    void queuedEntriesAreSentAndLeaveTheQueueAndNoStagedPack() throws Exception {
        ArtifactKey a = put("serde", "a");
        ArtifactKey b = put("rand", "b");
        queue.add(a);
        queue.add(b);

        BackgroundUploader.drain(queue, store, remote, 3);

        assertTrue(remote.contains(a));
        assertTrue(remote.contains(b));
        assertEquals(List.of(), queue.list());
        try (Stream<Path> left = Files.list(temp.resolve("store/tmp"))) {
            assertEquals(List.of(), left.toList(), "the staged packs are deleted");
        }
    }

    @Test
    void anEntryNoLongerInTheLocalStoreLeavesTheQueueUnsent() throws Exception {
        ArtifactKey gone = new ArtifactKey("serde", "f".repeat(64));
        queue.add(gone);

        BackgroundUploader.drain(queue, store, remote, 3);

        assertFalse(remote.contains(gone));
        assertEquals(List.of(), queue.list());
    }

    @Test
    void accessDeniedStopsTheWriteBackAndKeepsTheQueueForSync() throws Exception {
        ArtifactKey a = put("serde", "a");
        queue.add(a);

        BackgroundUploader.drain(queue, store, new Denying(remote), 3);

        assertFalse(remote.contains(a));
        assertEquals(Set.of(a), Set.copyOf(queue.list()), "kache sync --push sends it later");
    }

    private ArtifactKey put(String crate, String seed) throws IOException {
        ArtifactKey key = new ArtifactKey(crate, seed.repeat(64));
        Path out = Files.createDirectories(temp.resolve("out-" + crate));
        Files.writeString(out.resolve("lib" + crate + ".rlib"), "content of " + crate);
        store.put(key, List.of(new OutputFile("lib" + crate + ".rlib", out.resolve("lib" + crate + ".rlib"))),
                null, null, Map.of());
        return key;
    }

    /** A remote that lets this machine read but not write, as a read-only bucket policy does. */
    private record Denying(ArtifactStore inner) implements ArtifactStore {
        @Override
        public boolean load(ArtifactKey key, EntryReader reader) throws StoreException {
            return inner.load(key, reader);
        }

        @Override
        public void store(ArtifactKey key, ArtifactSource source) throws StoreAccessDeniedException {
            throw new StoreAccessDeniedException("mem://bucket", "PutObject", null, null);
        }

        @Override
        public boolean contains(ArtifactKey key) throws StoreException {
            return inner.contains(key);
        }

        @Override
        public Stream<ArtifactKey> list(String crateName) throws StoreException {
            return inner.list(crateName);
        }

        @Override
        public Stream<ArtifactKey> listAll() throws StoreException {
            return inner.listAll();
        }

        @Override
        public void close() {
        }
    }
}
