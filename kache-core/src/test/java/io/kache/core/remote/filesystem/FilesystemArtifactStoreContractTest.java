package io.kache.core.remote.filesystem;

import io.kache.api.ArtifactLayout;
import io.kache.api.ArtifactStore;
import io.kache.api.RemoteSettings;
import io.kache.testkit.ArtifactStoreContract;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The shared backend contract, run against the filesystem backend through its provider. */
class FilesystemArtifactStoreContractTest extends ArtifactStoreContract {

    @TempDir
    Path share;

    @Override
    protected ArtifactStore newStore() throws Exception {
        return new FilesystemStoreProvider().open(RemoteSettings.filesystem(share));
    }

    @Override
    protected void putForeignObject(ArtifactStore store, String nameUnderPrefix, byte[] content) throws Exception {
        Path file = share.resolve(ArtifactLayout.DEFAULT_PREFIX).resolve(nameUnderPrefix);
        Files.createDirectories(file.getParent());
        Files.write(file, content);
    }
}
