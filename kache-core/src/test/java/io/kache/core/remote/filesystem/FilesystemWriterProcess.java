package io.kache.core.remote.filesystem;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactSource;
import io.kache.api.ArtifactStore;
import io.kache.api.RemoteSettings;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Run as a separate JVM by {@link FilesystemArtifactStoreTest}: stores the same keys as its
 * siblings, in its own order, and checks every entry it can read is whole. Exit 0 on success.
 */
public final class FilesystemWriterProcess {

    private FilesystemWriterProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        int keys = Integer.parseInt(args[1]);
        int size = Integer.parseInt(args[2]);
        int offset = Integer.parseInt(args[3]);
        try (ArtifactStore store = new FilesystemStoreProvider().open(RemoteSettings.filesystem(root))) {
            for (int i = 0; i < keys; i++) {
                ArtifactKey key = Entries.key("shared_crate", (i + offset) % keys);
                byte[] expected = Entries.content(key, size);
                store.store(key, ArtifactSource.ofBytes(expected));
                Optional<byte[]> got = Entries.load(store, key);
                if (got.isEmpty() || !Arrays.equals(expected, got.get())) {
                    System.err.println("entry " + key + " missing or not whole after store");
                    System.exit(1);
                }
            }
        }
        System.exit(0);
    }
}
