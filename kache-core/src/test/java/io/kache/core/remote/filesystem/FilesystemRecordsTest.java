package io.kache.core.remote.filesystem;

import static io.kache.core.remote.filesystem.Entries.content;
import static io.kache.core.remote.filesystem.Entries.key;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactSource;
import io.kache.api.ArtifactStore;
import io.kache.api.CorruptedEntryException;
import io.kache.api.RemoteSettings;
import io.kache.api.StoreAccessDeniedException;
import io.kache.api.StoreProviders;
import io.kache.core.remote.RemoteStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Build records in a shared directory: replaced whole, capped, never listed as entries, never written read-only. */
class FilesystemRecordsTest {

    private static final String SLOT = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path root;

    @Test
    void aRecordIsReplacedWholeCappedAndNeverListed() throws Exception {
        try (ArtifactStore store = new FilesystemStoreProvider().open(RemoteSettings.filesystem(root))) {
            assertEquals(Optional.empty(), store.readRecord(SLOT, 100));
            ArtifactKey entry = key("serde", 1);
            store.store(entry, ArtifactSource.ofBytes(content(entry, 10)));
            store.writeRecord(SLOT, "first".getBytes());
            store.writeRecord(SLOT, "second".getBytes());
            assertArrayEquals("second".getBytes(), store.readRecord(SLOT, 100).orElseThrow());
            assertTrue(Files.isRegularFile(root.resolve("artifacts/kache-builds/" + SLOT + ".json")));
            assertEquals(List.of(entry), store.listAll().toList(), "records are no entries");
            assertThrows(CorruptedEntryException.class, () -> store.readRecord(SLOT, 3));
            assertThrows(IllegalArgumentException.class, () -> store.writeRecord("../x", new byte[1]));
        }
    }

    @Test
    void readOnlyCredentialsReadRecordsAndNeverWriteThem() throws Exception {
        try (ArtifactStore writer = new FilesystemStoreProvider().open(RemoteSettings.filesystem(root))) {
            writer.writeRecord(SLOT, "record".getBytes());
        }
        try (ArtifactStore store = RemoteStores.open(Optional.of(RemoteSettings.filesystem(root).withReadOnly(true)),
                StoreProviders.of(List.of(new FilesystemStoreProvider()))).orElseThrow()) {
            assertArrayEquals("record".getBytes(), store.readRecord(SLOT, 100).orElseThrow());
            assertThrows(StoreAccessDeniedException.class, () -> store.writeRecord(SLOT, "other".getBytes()));
        }
        assertArrayEquals("record".getBytes(), Files.readAllBytes(root.resolve("artifacts/kache-builds/" + SLOT + ".json")));
    }
}
