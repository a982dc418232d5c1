package io.kache.core.hash;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SHA-256 of files, memoized by {@link FileIdentity} (device, inode, size, mtime, ctime) in a
 * small table shared by every kache process, so a file kache wrote, restored or already hashed is
 * not read again while it is unchanged.
 *
 * <p>A file changed within its racy window ({@link FileIdentity#settledAt}) is hashed but not
 * memoized: file system clocks are coarse, and a second write in the same clock tick with the same
 * size would leave the identity unchanged. Files kache writes itself are recorded with
 * {@link #record}, which has no such window because kache knows what it wrote.
 *
 * <p>The memo is an optimisation only: if its table cannot be opened or written, hashes are still
 * computed, just not remembered. Thread-safe.
 */
public final class ContentHashes implements AutoCloseable {

    private static final HexFormat HEX = HexFormat.of();

    private final Path tableFile;
    private final LongSupplier wallClockNanos;
    private final AtomicLong filesHashed = new AtomicLong();
    private HashTable table;
    private boolean tableFailed;

    private ContentHashes(Path tableFile, LongSupplier wallClockNanos) {
        this.tableFile = tableFile;
        this.wallClockNanos = wallClockNanos;
    }

    /** Hashes memoized in {@code tableFile}, created on first use. */
    public static ContentHashes memoizedIn(Path tableFile) {
        // No lambda here: a fresh JVM pays milliseconds for its first one, on every cache hit.
        return new ContentHashes(Objects.requireNonNull(tableFile, "tableFile"), null);
    }

    /** As {@link #memoizedIn(Path)}, judging the racy window by {@code wallClockNanos} (for tests). */
    static ContentHashes memoizedIn(Path tableFile, LongSupplier wallClockNanos) {
        return new ContentHashes(Objects.requireNonNull(tableFile, "tableFile"), wallClockNanos);
    }

    /** Hashes that are always computed, never remembered. */
    public static ContentHashes unmemoized() {
        return new ContentHashes(null, null);
    }

    /**
     * The SHA-256 of {@code file}'s content as 64 lowercase hex characters: from the memo when
     * the file is unchanged since it was last hashed or recorded, else read in full.
     *
     * @throws IOException if the file cannot be read
     */
    public String sha256(Path file) throws IOException {
        Optional<FileIdentity> before = FileIdentity.of(file);
        HashTable t = before.isPresent() ? table() : null;
        if (t != null) {
            Optional<byte[]> hit = get(t, before.get());
            if (hit.isPresent()) {
                return HEX.formatHex(hit.get());
            }
        }
        String sha = Sha256.of(file);
        filesHashed.incrementAndGet();
        if (t != null) {
            Optional<FileIdentity> after = FileIdentity.of(file);
            long now = wallClockNanos == null ? System.currentTimeMillis() * 1_000_000L : wallClockNanos.getAsLong();
            if (after.equals(before) && after.get().settledAt(now, file)) {
                put(t, after.get(), sha);
            }
        }
        return sha;
    }

    /**
     * Remembers that {@code file}, as it is now, has content hash {@code sha256}. For files kache
     * has just written or linked itself; the caller guarantees the content.
     */
    public void record(Path file, String sha256) throws IOException {
        Optional<FileIdentity> id = FileIdentity.of(file);
        HashTable t = id.isPresent() ? table() : null;
        if (t != null) {
            put(t, id.get(), sha256);
        }
    }

    /**
     * Like {@link #record}, but only if {@code file} still has the identity {@code expected} taken
     * before it was read: for content kache read (and hashed) from a file it did not write.
     */
    public void recordIfUnchanged(Path file, String sha256, Optional<FileIdentity> expected) throws IOException {
        Optional<FileIdentity> id = FileIdentity.of(file);
        HashTable t = id.isPresent() && id.equals(expected) ? table() : null;
        if (t != null) {
            put(t, id.get(), sha256);
        }
    }

    /** How many files this instance read in full (memo misses), for tests and diagnostics. */
    public long filesHashed() {
        return filesHashed.get();
    }

    private synchronized HashTable table() {
        if (table == null && !tableFailed && tableFile != null) {
            try {
                table = HashTable.open(tableFile);
            } catch (IOException e) {
                tableFailed = true;
                Log.LOG.debug("hash memo {} unavailable, hashing without it: {}", tableFile, e.toString());
            }
        }
        return table;
    }

    private Optional<byte[]> get(HashTable t, FileIdentity id) {
        try {
            return t.get(id);
        } catch (IOException e) {
            Log.LOG.debug("hash memo {} unreadable: {}", tableFile, e.toString());
            return Optional.empty();
        }
    }

    private void put(HashTable t, FileIdentity id, String sha) {
        try {
            t.put(id, HEX.parseHex(sha));
        } catch (IOException e) {
            Log.LOG.debug("hash memo {} not writable: {}", tableFile, e.toString());
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (table != null) {
            table.close();
            table = null;
        }
        tableFailed = true;
    }

    /** Loaded only when something is logged: SLF4J start-up is not free in a fresh JVM. */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(ContentHashes.class);
    }
}
