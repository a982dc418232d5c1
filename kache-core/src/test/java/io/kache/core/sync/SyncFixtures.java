package io.kache.core.sync;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactSource;
import io.kache.api.ArtifactStore;
import io.kache.core.entry.OutputFile;
import io.kache.core.hash.Sha256;
import io.kache.core.remote.RetryPolicy;
import io.kache.core.store.EntryInfo;
import io.kache.core.store.LocalStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Real local entries and their packs for sync tests. */
final class SyncFixtures {

    /** Retries without waiting, so tests of retry counts stay fast. */
    static final RetryPolicy QUICK_RETRY = new RetryPolicy(3, Duration.ZERO, Duration.ZERO);

    private SyncFixtures() {
    }

    static ArtifactKey key(String crate, String seed) {
        return new ArtifactKey(crate, Sha256.of(seed.getBytes(StandardCharsets.UTF_8)));
    }

    /** Stores an entry of two files derived from {@code key} in {@code store}, written under {@code work}. */
    static ArtifactKey put(LocalStore store, Path work, ArtifactKey key, int size) throws IOException {
        return put(store, work, key, size, Map.of());
    }

    /** {@link #put(LocalStore, Path, ArtifactKey, int)} of an entry a build of {@code pkg} stored (CARGO_PKG_NAME). */
    static ArtifactKey putOfPackage(LocalStore store, Path work, ArtifactKey key, String pkg) throws IOException {
        return put(store, work.resolve(pkg), key, 100, Map.of(EntryInfo.PACKAGE_ATTRIBUTE, pkg));
    }

    private static ArtifactKey put(LocalStore store, Path work, ArtifactKey key, int size,
                                   Map<String, String> attributes) throws IOException {
        Path dir = Files.createDirectories(work.resolve(key.crateName() + "-" + key.shortKey()));
        byte[] body = new byte[size];
        new Random(key.hashCode()).nextBytes(body);
        Files.write(dir.resolve("lib" + key.crateName() + ".rlib"), body);
        Files.writeString(dir.resolve(key.crateName() + ".d"), "deps of " + key + "\n");
        store.put(key, List.of(new OutputFile("lib" + key.crateName() + ".rlib", dir.resolve("lib" + key.crateName()
                + ".rlib")), new OutputFile(key.crateName() + ".d", dir.resolve(key.crateName() + ".d"))),
                new byte[0], "warning: fixture\n".getBytes(StandardCharsets.UTF_8), attributes);
        return key;
    }

    /** The pack of a local entry, as a push would upload it. */
    static byte[] pack(LocalStore store, ArtifactKey key) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!store.exportPack(key, out, 3)) {
            throw new IllegalStateException("no entry " + key);
        }
        return out.toByteArray();
    }

    /** Creates an entry in {@code source} and uploads its pack to {@code remote}. */
    static ArtifactKey upload(LocalStore source, Path work, ArtifactStore remote, ArtifactKey key, int size)
            throws IOException {
        put(source, work, key, size);
        remote.store(key, ArtifactSource.ofBytes(pack(source, key)));
        return key;
    }
}
