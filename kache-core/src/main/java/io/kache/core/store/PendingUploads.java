package io.kache.core.store;

import io.kache.api.ArtifactKey;
import io.kache.core.remote.RemoteDestination;
import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The queue of entries compiled here that the remote has not received yet: one empty marker file
 * per entry under the local store ({@code pending/}), so it survives crashes and is shared by every process. What the
 * background uploader does not send, {@code kache sync --push} does.
 *
 * <p>Projects sharing the store may each have their own remote, so a marker names its destination
 * ({@code CRATE.KEY.DESTINATION}, {@link RemoteDestination}) and an uploader sends only the markers of
 * its own remote. A marker of an older kache ({@code CRATE.KEY}) names none: no uploader sends it,
 * since nothing says which remote it was meant for; {@code kache sync --push} in its project sends
 * the entry. Older versions skip the new markers (a dot in what they take for the crate name).
 */
public final class PendingUploads {

    private final StoreLayout layout;
    private final Path dir;

    PendingUploads(StoreLayout layout) {
        this.layout = layout;
        this.dir = layout.pendingDir();
    }

    /**
     * The lock that keeps to one the uploaders of this store to {@code to}, or empty when another
     * uploader holds it. Held for the uploader's whole life; the OS releases it if the uploader dies.
     * Per destination: an uploader leaves the other remotes' entries alone, so it must not keep
     * their uploaders from running.
     */
    public Optional<UploaderLock> tryLockUploader(RemoteDestination to) throws IOException {
        Files.createDirectories(dir);
        return UploaderLock.tryAcquire(layout.uploaderLock(to.id()));
    }

    /** How long a launched uploader may take to hold its lock before a call launches another. */
    static final Duration START_GRACE = Duration.ofSeconds(10);

    /**
     * Whether this call is the one to launch the uploader to {@code to}: not while another call's
     * launch, made within {@link #START_GRACE}, has not yet taken its lock. A build's misses come
     * together, and each found the lock free while the first uploader's JVM was still starting (three
     * JVMs for one 48-crate build, each a JVM start on the cores the build needs). The mark is made
     * with {@code O_EXCL}, so of calls that race exactly one launches; one older than the grace, or
     * dated in the future (the clock stepped back), is stale, and two calls that both find it so may
     * both launch: the one that loses the lock exits.
     */
    public boolean claimStart(RemoteDestination to) throws IOException {
        Files.createDirectories(dir);
        Path mark = layout.uploaderStartMark(to.id());
        try {
            Files.createFile(mark);
            return true;
        } catch (FileAlreadyExistsException e) {
            Instant made;
            try {
                made = Files.getLastModifiedTime(mark).toInstant();
            } catch (NoSuchFileException gone) {
                return claimStart(to);
            }
            Instant now = Instant.now();
            if (made.isAfter(now.minus(START_GRACE)) && !made.isAfter(now)) {
                return false;
            }
            Files.setLastModifiedTime(mark, FileTime.from(now));
            return true;
        }
    }

    /** Said by an uploader once it holds its lock: the next launch need not wait out the grace. */
    public void started(RemoteDestination to) throws IOException {
        Files.deleteIfExists(layout.uploaderStartMark(to.id()));
    }

    /** Where an uploader's error output goes (appended). */
    public File uploaderLog() {
        return layout.uploaderLog().toFile();
    }

    /** Queues {@code key} for the remote {@code to}. */
    public void add(ArtifactKey key, RemoteDestination to) throws IOException {
        Files.createDirectories(dir);
        try {
            Files.createFile(marker(key, to));
        } catch (FileAlreadyExistsException e) {
            // Already queued.
        }
    }

    /** The queued keys, whatever their remote, each once; markers with invalid names are ignored. */
    public List<ArtifactKey> list() throws IOException {
        LinkedHashSet<ArtifactKey> keys = new LinkedHashSet<>();
        markers().forEach(m -> keys.add(m.key()));
        return List.copyOf(keys);
    }

    /** The keys queued for {@code to}. */
    public List<ArtifactKey> list(RemoteDestination to) throws IOException {
        return markers().stream().filter(m -> m.to().equals(to.id())).map(Marker::key).toList();
    }

    /**
     * How many keys wait only for remotes other than {@code to} (each remote named by its markers):
     * those configured in this store's projects earlier, or by another project. With {@code to}
     * empty (no remote configured), every key; a key an older kache queued names no remote and is
     * {@code to}'s, as {@code kache sync --push} sends it there.
     */
    public int countForOtherRemotes(Optional<RemoteDestination> to) throws IOException {
        if (to.isEmpty()) {
            return list().size();
        }
        Set<ArtifactKey> others = new HashSet<>();
        Set<ArtifactKey> mine = new HashSet<>();
        for (Marker m : markers()) {
            (m.to().isEmpty() || m.to().equals(to.get().id()) ? mine : others).add(m.key());
        }
        others.removeAll(mine);
        return others.size();
    }

    /** One marker: its key, and its destination's id, empty for an older kache's marker. */
    private record Marker(ArtifactKey key, String to, Path file) {
    }

    private List<Marker> markers() throws IOException {
        List<Marker> markers = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return markers;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String[] parts = f.getFileName().toString().split("\\.", -1);
                boolean named = parts.length == 3 && RemoteDestination.isValidId(parts[2]);
                if ((parts.length == 2 || named) && ArtifactKey.isValidCrateName(parts[0])
                        && ArtifactKey.isValidCacheKey(parts[1])) {
                    markers.add(new Marker(new ArtifactKey(parts[0], parts[1]), named ? parts[2] : "", f));
                }
            }
        }
        return markers;
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
        for (Marker m : markers()) {
            try {
                Instant queued = Files.getLastModifiedTime(m.file()).toInstant();
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
     * The queue of one remote and when a build last used the store, by which the write-back paces itself.
     *
     * @param keys the keys queued for the remote
     * @param oldestQueuedMillis when the oldest of them was queued; 0 when none is
     * @param lastActivityMillis the latest of: a queued entry, and the store's last counted rustc
     *     call (hit, miss or passthrough: each updates the counters file in place); 0 if neither
     */
    public record Snapshot(List<ArtifactKey> keys, long oldestQueuedMillis, long lastActivityMillis) {
        public Snapshot {
            keys = List.copyOf(keys);
        }
    }

    public Snapshot snapshot(RemoteDestination to) throws IOException {
        List<ArtifactKey> keys = new ArrayList<>();
        long oldest = Long.MAX_VALUE;
        long newest = modifiedMillis(layout.counters());
        for (ArtifactKey key : list(to)) {
            long queued = modifiedMillis(marker(key, to));
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

    private Path marker(ArtifactKey key, RemoteDestination to) {
        return dir.resolve(key.crateName() + "." + key.cacheKey() + "." + to.id());
    }

    /** Takes {@code key} off the queue of {@code to}: sent, or not worth sending. */
    public void remove(ArtifactKey key, RemoteDestination to) throws IOException {
        Files.deleteIfExists(marker(key, to));
    }
}
