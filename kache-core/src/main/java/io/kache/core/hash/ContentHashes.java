package io.kache.core.hash;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
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
 * <p>Whether a file holds a given content ({@link #hasContent}, the store's check of a blob) is
 * also answered from a second table, of each hashed or verified content's size and CRC32C
 * ({@link FileChecksum}), when the file's identity moved without its content: a blob hard-linked
 * into a target directory changes its ctime whenever cargo deletes that link, so every warm build
 * after {@code cargo clean} would otherwise read every linked blob through SHA-256. The file is
 * still read whole; only the sum is cheaper. A file that passes is then memoized by its new
 * identity as having that SHA-256, like one read through it: the odds of a damaged file passing are
 * 2^-32. Anyone who could make a blob's bytes collide on purpose could as well write the memo that
 * skips the check: both tables are the store's own.
 *
 * <p>{@link #sha256} takes the same path for a file whose identity differs from a remembered one
 * by its ctime alone (same inode, size and mtime): cargo hard-links ("uplifts") every output of a
 * workspace member right after kache restores it, and the crates that depend on it ask for its hash
 * within the racy window of that new ctime, where it cannot be memoized: a 5 MB proc-macro was read
 * through SHA-256 once per dependent crate. A write that put the mtime back is still found: the
 * file is read whole and its CRC32C compared. The checksum of a content hashed here is recorded for
 * files of {@link #CHECKSUM_WORTH_BYTES} or more.
 *
 * <p>The memo is an optimisation only: if its tables cannot be opened or written, hashes are still
 * computed, just not remembered. Thread-safe.
 */
public final class ContentHashes implements AutoCloseable {

    private static final HexFormat HEX = HexFormat.of();
    /**
     * The size from which a hashed file's checksum is recorded for {@link #sha256}'s cheaper check: a
     * small file costs little to hash again, and the checksum table's slots are better kept for the
     * blobs the store checks after every {@code cargo clean} (sources are mostly smaller than this,
     * rlibs and proc-macros larger).
     */
    static final long CHECKSUM_WORTH_BYTES = 64 * 1024;

    private final Path tableFile;
    private final ContentChecksums checksums;
    private final LongSupplier wallClockNanos;
    private final AtomicLong filesHashed = new AtomicLong();
    private final AtomicLong filesChecksummed = new AtomicLong();
    private HashTable table;
    private boolean tableFailed;

    private ContentHashes(Path tableFile, Path checksumFile, LongSupplier wallClockNanos) {
        this.tableFile = tableFile;
        this.checksums = new ContentChecksums(checksumFile);
        this.wallClockNanos = wallClockNanos;
    }

    /** Hashes memoized in {@code tableFile}, contents' checksums in {@code checksumFile}; both created on first use. */
    public static ContentHashes memoizedIn(Path tableFile, Path checksumFile) {
        // No lambda here: a fresh JVM pays milliseconds for its first one, on every cache hit.
        return new ContentHashes(Objects.requireNonNull(tableFile, "tableFile"),
                Objects.requireNonNull(checksumFile, "checksumFile"), null);
    }

    /** As {@link #memoizedIn(Path, Path)}, judging the racy window by {@code wallClockNanos} (for tests). */
    static ContentHashes memoizedIn(Path tableFile, Path checksumFile, LongSupplier wallClockNanos) {
        return new ContentHashes(Objects.requireNonNull(tableFile, "tableFile"),
                Objects.requireNonNull(checksumFile, "checksumFile"), wallClockNanos);
    }

    /** Hashes that are always computed, never remembered. */
    public static ContentHashes unmemoized() {
        return new ContentHashes(null, null, null);
    }

    /**
     * The SHA-256 of {@code file}'s content as 64 lowercase hex characters: from the memo when
     * the file is unchanged since it was last hashed or recorded, else read in full.
     *
     * @throws IOException if the file cannot be read
     */
    public String sha256(Path file) throws IOException {
        Optional<FileIdentity> before = FileIdentity.of(file);
        Optional<HashTable.Recorded> known = recorded(before);
        if (known.isPresent() && (known.get().exact()
                || matchesChecksum(file, before, known.get().sha256()).orElse(false))) {
            return HEX.formatHex(known.get().sha256());
        }
        WholeRead read = readWhole(file, before);
        if (read.checksum().size() >= CHECKSUM_WORTH_BYTES) {
            checksums.put(HEX.parseHex(read.sha256()), read.checksum());
        }
        return read.sha256();
    }

    /**
     * Whether {@code file}'s content is the content whose SHA-256 is {@code sha256}: from the memo
     * while the file's identity is the one remembered; else by reading it whole, through its
     * CRC32C when that content's checksum is known (see the class comment), otherwise through
     * SHA-256, which then records the checksum.
     *
     * @throws java.nio.file.NoSuchFileException if there is no such file
     */
    public boolean hasContent(Path file, String sha256) throws IOException {
        Optional<FileIdentity> before = FileIdentity.of(file);
        Optional<String> known = memoized(before);
        if (known.isPresent()) {
            return known.get().equals(sha256);
        }
        byte[] raw = HEX.parseHex(sha256);
        Optional<Boolean> checked = matchesChecksum(file, before, raw);
        if (checked.isPresent()) {
            return checked.get();
        }
        WholeRead read = readWhole(file, before);
        if (!read.sha256().equals(sha256)) {
            return false;
        }
        checksums.put(raw, read.checksum());
        return true;
    }

    /**
     * Whether {@code file} holds the content {@code sha256} (32 raw bytes) as the size and CRC32C
     * recorded for that content tell, reading it whole unless its size already differs; a match is
     * memoized like a hash. Empty when no checksum is recorded for that content.
     */
    private Optional<Boolean> matchesChecksum(Path file, Optional<FileIdentity> before, byte[] sha256)
            throws IOException {
        Optional<FileChecksum> expected = checksums.get(sha256);
        if (expected.isEmpty()) {
            return Optional.empty();
        }
        if (before.isPresent() && before.get().size() != expected.get().size()) {
            return Optional.of(false);
        }
        long readStart = wallClockNanos();
        FileChecksum actual = FileChecksum.of(file);
        filesChecksummed.incrementAndGet();
        if (!actual.equals(expected.get())) {
            return Optional.of(false);
        }
        remember(file, before, HEX.formatHex(sha256), readStart);
        return Optional.of(true);
    }

    /** A file's SHA-256 (hex) and checksum, from one read. */
    private record WholeRead(String sha256, FileChecksum checksum) {
    }

    /** Reads {@code file} whole through SHA-256 and CRC32C at once, and memoizes its hash. */
    private WholeRead readWhole(Path file, Optional<FileIdentity> before) throws IOException {
        MessageDigest digest = Sha256.newDigest();
        long readStart = wallClockNanos();
        FileChecksum checksum = FileChecksum.of(file, digest);
        String sha = Sha256.hex(digest);
        filesHashed.incrementAndGet();
        remember(file, before, sha, readStart);
        return new WholeRead(sha, checksum);
    }

    /**
     * Remembers that the content {@code sha256} has this size and CRC32C ({@link #hasContent}):
     * for bytes kache has just verified or hashed itself.
     */
    public void recordChecksum(String sha256, FileChecksum checksum) {
        checksums.put(HEX.parseHex(sha256), checksum);
    }

    private Optional<String> memoized(Optional<FileIdentity> id) {
        Optional<HashTable.Recorded> hit = recorded(id);
        return hit.isPresent() && hit.get().exact() ? Optional.of(HEX.formatHex(hit.get().sha256())) : Optional.empty();
    }

    private Optional<HashTable.Recorded> recorded(Optional<FileIdentity> id) {
        HashTable t = id.isPresent() ? table() : null;
        if (t == null) {
            return Optional.empty();
        }
        try {
            return t.find(id.get());
        } catch (IOException e) {
            Log.LOG.debug("hash memo {} unreadable: {}", tableFile, e.toString());
            return Optional.empty();
        }
    }

    /**
     * Memoizes {@code sha} for {@code file} if it kept the identity {@code before} it was read, and
     * that identity had settled when the read started ({@code readStartNanos}): a write in the tick
     * of the last change, after the read began, could leave the identity as it was with other bytes
     * in the file, however long the read took.
     */
    private void remember(Path file, Optional<FileIdentity> before, String sha, long readStartNanos)
            throws IOException {
        HashTable t = before.isPresent() ? table() : null;
        if (t == null) {
            return;
        }
        Optional<FileIdentity> after = FileIdentity.of(file);
        if (after.equals(before) && after.get().settledAt(readStartNanos, file)) {
            put(t, after.get(), sha);
        }
    }

    private long wallClockNanos() {
        return wallClockNanos == null ? System.currentTimeMillis() * 1_000_000L : wallClockNanos.getAsLong();
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

    /** How many files this instance read in full through SHA-256 (memo misses), for tests and diagnostics. */
    public long filesHashed() {
        return filesHashed.get();
    }

    /** How many files this instance read in full through their checksum only ({@link #hasContent}). */
    public long filesChecksummed() {
        return filesChecksummed.get();
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

    private void put(HashTable t, FileIdentity id, String sha) {
        try {
            t.put(id, HEX.parseHex(sha));
        } catch (IOException e) {
            Log.LOG.debug("hash memo {} not writable: {}", tableFile, e.toString());
        }
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            if (table != null) {
                table.close();
                table = null;
            }
        } finally {
            tableFailed = true;
            checksums.close();
        }
    }

    /** Loaded only when something is logged: SLF4J start-up is not free in a fresh JVM. */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(ContentHashes.class);
    }
}
