package io.kache.core.store;

import io.kache.api.ArtifactKey;
import java.io.File;
import java.io.IOException;
import java.time.Instant;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The queue of entries compiled here that the remote has not received yet: one empty marker file
 * per entry under the local store ({@code pending/}), so it survives crashes and is shared by every process. What the
 * background uploader does not send, {@code kache sync --push} does.
 */
public final class PendingUploads {

    private final StoreLayout layout;
    private final Path dir;

    PendingUploads(StoreLayout layout) {
        this.layout = layout;
        this.dir = layout.pendingDir();
    }

    /**
     * The lock that keeps to one the uploaders of this store, or empty when another uploader
     * holds it. Held for the uploader's whole life; the OS releases it if the uploader dies.
     */
    public Optional<UploaderLock> tryLockUploader() throws IOException {
        Files.createDirectories(dir);
        return UploaderLock.tryAcquire(layout.uploaderLock());
    }

    /** Where an uploader's error output goes (appended). */
    public File uploaderLog() {
        return layout.uploaderLog().toFile();
    }

    public void add(ArtifactKey key) throws IOException {
        Files.createDirectories(dir);
        try {
            Files.createFile(marker(key));
        } catch (FileAlreadyExistsException e) {
            // Already queued.
        }
    }

    /** The queued keys; markers with invalid names are ignored. */
    public List<ArtifactKey> list() throws IOException {
        List<ArtifactKey> keys = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return keys;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                int dot = name.lastIndexOf('.');
                if (dot > 0 && ArtifactKey.isValidCrateName(name.substring(0, dot))
                        && ArtifactKey.isValidCacheKey(name.substring(dot + 1))) {
                    keys.add(new ArtifactKey(name.substring(0, dot), name.substring(dot + 1)));
                }
            }
        }
        return keys;
    }

    /**
     * What is waiting, for {@code kache stats} and {@code doctor}.
     *
     * @param count queued entries
     * @param oldest when the oldest was queued; empty when none is
     */
    public record Summary(int count, Optional<Instant> oldest) {
    }

    public Summary summary() throws IOException {
        List<ArtifactKey> keys = list();
        Optional<Instant> oldest = Optional.empty();
        for (ArtifactKey key : keys) {
            try {
                Instant queued = Files.getLastModifiedTime(marker(key)).toInstant();
                if (oldest.isEmpty() || queued.isBefore(oldest.get())) {
                    oldest = Optional.of(queued);
                }
            } catch (NoSuchFileException e) {
                // sent meanwhile
            }
        }
        return new Summary(keys.size(), oldest);
    }

    /**
     * The queue and when a build last used the store, by which the write-back paces itself.
     *
     * @param keys the queued keys
     * @param oldestQueuedMillis when the oldest of them was queued; 0 when none is
     * @param lastActivityMillis the latest of: a queued entry, and the store's last counted rustc
     *     call (hit, miss or passthrough: each updates the counters file in place); 0 if neither
     */
    public record Snapshot(List<ArtifactKey> keys, long oldestQueuedMillis, long lastActivityMillis) {
        public Snapshot {
            keys = List.copyOf(keys);
        }
    }

    public Snapshot snapshot() throws IOException {
        List<ArtifactKey> keys = new ArrayList<>();
        long oldest = Long.MAX_VALUE;
        long newest = modifiedMillis(layout.counters());
        for (ArtifactKey key : list()) {
            long queued = modifiedMillis(marker(key));
            if (queued == 0) {
                continue; // sent meanwhile
            }
            keys.add(key);
            oldest = Math.min(oldest, queued);
            newest = Math.max(newest, queued);
        }
        return new Snapshot(keys, keys.isEmpty() ? 0 : oldest, newest);
    }

    private static long modifiedMillis(Path file) throws IOException {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    private Path marker(ArtifactKey key) {
        return dir.resolve(key.crateName() + "." + key.cacheKey());
    }

    public void remove(ArtifactKey key) throws IOException {
        Files.deleteIfExists(marker(key));
    }
}
