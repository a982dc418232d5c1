package com.example.kache.dir;

import io.kache.api.ArtifactStore;
import io.kache.api.RemoteSettings;
import io.kache.testkit.ArtifactStoreContract;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class DirStoreContractTest extends ArtifactStoreContract {
    @TempDir Path dir;

    @Override
    protected ArtifactStore newStore() throws Exception {
        return new DirStoreProvider().open(RemoteSettings.filesystem(dir));
    }

    @Override
    protected void putForeignObject(ArtifactStore store, String nameUnderPrefix, byte[] content) throws Exception {
        Path file = dir.resolve("artifacts").resolve(nameUnderPrefix);
        Files.createDirectories(file.getParent());
        Files.write(file, content);
    }
}
