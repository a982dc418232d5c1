package io.kache.core.store;

import io.kache.api.ArtifactKey;
import io.kache.core.rustc.CargoUnit;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one owner of the store's directory: every name under the root is defined here, and nothing
 * outside this package builds a path under it. {@code docs/store.md} shows the same table
 * ({@code StoreLayoutDocTest} checks it lists every name in {@link #NAMES}):
 * <pre>
 * blobs/ab/abcd…        one file per distinct content, named by its SHA-256, uncompressed
 * entries/CRATE/KEY     one manifest per entry ({@link io.kache.core.entry.ManifestCodec}); mtime = last use
 * packs/CRATE/KEY       pulled entries still in the .tar.zst they came in, unpacked on first use; mtime = last use
 * locks/CRATE/KEY       per-key lock files
 * tmp/                  files and scratch directories being written; PID-PREFIXED names so leftovers of dead processes are known
 * quarantine/           blobs found not to match their name, kept as evidence (SHA.failed), removed by gc after a week
 * manifests/ab/CALLKEY  the call-key index ({@link CallKeyIndex}); the name predates the index's own name
 * pending/CRATE.KEY.DEST entries waiting for the write-back to one remote ({@link PendingUploads}), its locks and its log
 * toolchains/           remembered compiler answers: banners, rustup selections, compiler kinds, target info, linker programs ({@link ToolchainMemoFiles})
 * remote-unavailable/DEST marker per remote: builds leave it alone until its mtime plus a quiet period ({@link RemoteHealth})
 * store.lock            shared by writers, exclusive for garbage collection
 * counters              hits, misses, passthroughs, bytes restored, size estimate; counters.passthrough by reason
 * hashes                the content-hash memo
 * checksums             each verified content's size and CRC32C, by SHA-256: how a blob whose identity moved is checked
 * why/CRATE/KEY         what went into an entry's key, part by part (digests and names only; {@link MissRecords}), with its package and kind
 * why/CRATE.PKG.KIND.miss the same for the latest miss of one package's target of that crate, with its time and call key
 * why/CRATE.miss        an older kache's latest miss of the crate, whatever its package (read, replaced by the next miss)
 * journal/YYYY-MM-DD.log the build journal ({@link BuildJournal}): one line per wrapper call, last 7 days
 * </pre>
 * Everything a reader can see appears by an atomic link or rename from {@code tmp/}, which is on
 * the same file system; {@link #publish} (through {@link #writeAtomically} and {@link #writeDurably}) is the one
 * way to rename.
 */
final class StoreLayout {

    static final String BLOBS = "blobs";
    static final String ENTRIES = "entries";
    static final String PACKS = "packs";
    static final String LOCKS = "locks";
    static final String TMP = "tmp";
    static final String QUARANTINE = "quarantine";
    static final String CALL_KEYS = "manifests";
    static final String PENDING = "pending";
    /**
     * The toolchain memos, sealed ({@link MemoSeal}). Not {@code toolchains/}, where an older kache keeps
     * its unsealed ones: a store shared with it (a CI cache restored by either version) must never hand
     * it a sealed file, whose header it would pass to cargo as the compiler's answer.
     */
    static final String TOOLCHAINS = "memos";
    static final String REMOTE_UNAVAILABLE = "remote-unavailable";
    static final String STORE_LOCK = "store.lock";
    static final String COUNTERS = "counters";
    static final String PASSTHROUGH_REASONS = COUNTERS + ".passthrough";
    static final String HASHES = "hashes";
    static final String CHECKSUMS = "checksums";
    static final String WHY = "why";
    static final String JOURNAL = "journal";
    /** Every name directly under the root. */
    static final List<String> NAMES = List.of(BLOBS, ENTRIES, PACKS, LOCKS, TMP, QUARANTINE,
            CALL_KEYS, PENDING, TOOLCHAINS, REMOTE_UNAVAILABLE, STORE_LOCK, COUNTERS, PASSTHROUGH_REASONS, HASHES,
            CHECKSUMS, WHY, JOURNAL);

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final Path root;
    private final Path blobs;
    private final Path entries;
    private final KeyTree entryFiles;
    private final KeyTree packFiles;
    private final Path locks;
    private final Path tmp;

    StoreLayout(Path root) {
        this.root = root;
        this.blobs = root.resolve(BLOBS);
        this.entries = root.resolve(ENTRIES);
        this.entryFiles = new KeyTree(entries);
        this.packFiles = new KeyTree(root.resolve(PACKS));
        this.locks = root.resolve(LOCKS);
        this.tmp = root.resolve(TMP);
    }

    /**
     * Creates the directories that must exist before any operation. Not {@code packs/}: every
     * wrapper call opens the store, and only a pull needs it (its first pack creates it).
     */
    void create() throws IOException {
        Files.createDirectories(blobs);
        Files.createDirectories(entries);
        Files.createDirectories(locks);
        Files.createDirectories(tmp);
    }

    Path root() {
        return root;
    }

    Path blobsDir() {
        return blobs;
    }

    Path locksDir() {
        return locks;
    }

    Path tmpDir() {
        return tmp;
    }

    /** Not created up front: most stores never need it. */
    Path quarantineDir() {
        return root.resolve(QUARANTINE);
    }

    Path blob(String sha256) {
        return blobs.resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    Path entry(ArtifactKey key) {
        return entryFiles.path(key);
    }

    KeyTree entryFiles() {
        return entryFiles;
    }

    Path pack(ArtifactKey key) {
        return packFiles.path(key);
    }

    KeyTree packFiles() {
        return packFiles;
    }

    Path lock(ArtifactKey key) {
        return locks.resolve(key.crateName()).resolve(key.cacheKey());
    }

    Path storeLock() {
        return root.resolve(STORE_LOCK);
    }

    Path counters() {
        return root.resolve(COUNTERS);
    }

    Path passthroughReasons() {
        return root.resolve(PASSTHROUGH_REASONS);
    }

    Path hashes() {
        return root.resolve(HASHES);
    }

    Path checksums() {
        return root.resolve(CHECKSUMS);
    }

    /** Not created up front: only builds that remember a call key need it. */
    Path callKeysDir() {
        return root.resolve(CALL_KEYS);
    }

    /** Not created up front: only a store with a read-write remote needs it. */
    Path pendingDir() {
        return root.resolve(PENDING);
    }

    Path uploaderLock(String destination) {
        return pendingDir().resolve(".uploader." + destination + ".lock");
    }

    Path uploaderStartMark(String destination) {
        return pendingDir().resolve(".uploader." + destination + ".starting");
    }

    Path uploaderLog() {
        return pendingDir().resolve("uploader.log");
    }

    Path toolchainsDir() {
        return root.resolve(TOOLCHAINS);
    }

    /** Not created up front: written on a miss only. */
    Path whyDir() {
        return root.resolve(WHY);
    }

    /** What went into {@code key}, part by part. */
    Path entryParts(ArtifactKey key) {
        return whyDir().resolve(key.crateName()).resolve(key.cacheKey());
    }

    /** The latest miss of {@code crate} as an older kache kept it: one for all its packages and kinds. */
    Path lastMiss(String crate) {
        return whyDir().resolve(crate + MISS_SUFFIX);
    }

    /**
     * The latest miss of one unit of {@code crate}: its package and kind, percent-encoded so that any
     * package name is one safe file name (crate names hold no '.', so the crate's misses share its prefix).
     */
    Path lastMiss(String crate, CargoUnit unit) {
        return whyDir().resolve(crate + "." + fileNamePart(unit.packageName()) + "." + fileNamePart(unit.kind())
                + MISS_SUFFIX);
    }

    /** Every latest-miss file of {@code crate}: one per unit, and an older kache's one for the whole crate. */
    List<Path> lastMisses(String crate) throws IOException {
        List<Path> out = new java.util.ArrayList<>();
        try (java.nio.file.DirectoryStream<Path> files = Files.newDirectoryStream(whyDir(),
                f -> f.getFileName().toString().startsWith(crate + ".")
                        && f.getFileName().toString().endsWith(MISS_SUFFIX))) {
            files.forEach(out::add);
        } catch (java.nio.file.NoSuchFileException e) {
            // Nothing ever missed here.
        }
        return out;
    }

    private static final String MISS_SUFFIX = ".miss";

    private static String fileNamePart(String value) {
        StringBuilder b = new StringBuilder();
        for (byte c : value.getBytes(StandardCharsets.UTF_8)) {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
                b.append((char) c);
            } else {
                b.append('%').append(String.format(java.util.Locale.ROOT, "%02X", c & 0xff));
            }
        }
        return b.toString();
    }

    /** Not created up front: the first journal line of a store creates it. */
    Path journalDir() {
        return root.resolve(JOURNAL);
    }

    /** The directory of the remotes' markers; a file of that name is an older kache's one marker. */
    Path remoteUnavailableDir() {
        return root.resolve(REMOTE_UNAVAILABLE);
    }

    Path remoteUnavailable(String destination) {
        return remoteUnavailableDir().resolve(destination);
    }

    /** A fresh, unused path in {@code tmp/}: {@code PID-SEQ-RANDOM.purpose}. */
    Path newTemp(String purpose) {
        return tmp.resolve(Pid.VALUE + "-" + SEQUENCE.incrementAndGet() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "." + purpose);
    }

    /**
     * Renames {@code temp} (a {@link #newTemp} file) to {@code target} atomically, replacing what is
     * there: a reader sees the old file or the new one, never a torn one. The target's directory is
     * created when missing. {@code temp} is gone afterwards, whatever happened.
     */
    void publish(Path temp, Path target) throws IOException {
        try {
            // java.io's stat: a missing directory is common for the first file of a shard, and NIO throws for it.
            if (!target.getParent().toFile().isDirectory()) {
                Files.createDirectories(target.getParent());
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Replaces {@code target} with {@code text} (UTF-8) through a temp file and {@link #publish}. */
    void writeAtomically(Path target, CharSequence text) throws IOException {
        Path temp = newTemp(target.getFileName().toString());
        try {
            Files.writeString(temp, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        publish(temp, target);
    }

    /**
     * Replaces {@code target} with {@code bytes} as {@link #writeAtomically} does, with the bytes forced
     * to the disk before the rename: after a crash the file is then whole, not the empty file a rename
     * that reached the disk before its data leaves (ext4 and xfs may, for a name that is new). The
     * rename itself may still be lost: the old file, or none, is there. One fsync: for files written
     * rarely and read on every call (the toolchain memos), not for what every call writes.
     */
    void writeDurably(Path target, byte[] bytes) throws IOException {
        Path temp = newTemp(target.getFileName().toString());
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(false);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        publish(temp, target);
    }

    /** Looked up on first use: ProcessHandle's start-up costs milliseconds the hit path does not need. */
    private static final class Pid {
        static final long VALUE = ProcessHandle.current().pid();
    }

    /** The PID that created a {@link #newTemp} file, or -1 if the name is not one of ours. */
    static long ownerPid(String tempName) {
        int dash = tempName.indexOf('-');
        if (dash <= 0) {
            return -1;
        }
        try {
            return Long.parseLong(tempName.substring(0, dash));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
