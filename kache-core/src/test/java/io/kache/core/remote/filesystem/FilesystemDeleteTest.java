package io.kache.core.remote.filesystem;

import static io.kache.core.remote.filesystem.Entries.content;
import static io.kache.core.remote.filesystem.Entries.key;
import static io.kache.core.remote.filesystem.Entries.load;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactSource;
import io.kache.api.ArtifactStore;
import io.kache.api.DeletableStore;
import io.kache.api.RemoteSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optional delete capability of the shared-directory store (used by {@code kache doctor}). */
class FilesystemDeleteTest {

    @TempDir
    Path root;

    @Test
    void deleteRemovesOneEntryIsIdempotentAndSparesAReaderAlreadyStreaming() throws Exception {
        try (ArtifactStore store = new FilesystemStoreProvider().open(RemoteSettings.filesystem(root))) {
            DeletableStore deletable = (DeletableStore) store;
            ArtifactKey gone = key("serde", 1);
            ArtifactKey kept = key("serde", 2);
            byte[] bytes = content(gone, 100_000);
            store.store(gone, ArtifactSource.ofBytes(bytes));
            store.store(kept, ArtifactSource.ofBytes(content(kept, 10)));

            byte[][] read = new byte[1][];
            store.load(gone, (in, size) -> {
                deletable.delete(gone);
                read[0] = in.readAllBytes();
            });
            assertArrayEquals(bytes, read[0], "a reader that opened the entry reads all of it");
            assertFalse(store.contains(gone));
            assertEquals(Optional.empty(), load(store, gone));
            deletable.delete(gone);
            assertEquals(List.of(kept), store.list("serde").toList());
            assertTrue(store.contains(kept));
        }
    }

    @Test
    void aReadOnlyViewOffersNoDelete() throws Exception {
        try (ArtifactStore store = io.kache.core.remote.RemoteStores.open(
                Optional.of(RemoteSettings.filesystem(root).withReadOnly(true)),
                io.kache.api.StoreProviders.of(List.of(new FilesystemStoreProvider()))).orElseThrow()) {
            assertFalse(store instanceof DeletableStore);
        }
    }
}
