package com.example.kache.dir;

import io.kache.api.*;
import java.nio.file.*;
import java.util.Map;

public final class DirStoreProvider implements ArtifactStoreProvider {
    @Override public String id() { return "dir"; }
    @Override public String type() { return "dir"; }
    @Override public int priority() { return 0; }

    @Override
    public ArtifactStore open(RemoteSettings settings) throws StoreException {
        Path root = settings.requirePath();
        if (!Files.isDirectory(root)) {
            throw new StoreMisconfiguredException("[cache.remote] path " + root + " is not a directory");
        }
        return new DirStore(root, settings.layout());
    }

    @Override
    public Map<String, String> describe(RemoteSettings settings) {
        return Map.of("client", id(), "path", settings.path().map(Path::toString).orElse("(not set)"),
                "prefix", settings.layout().prefix());
    }
}
