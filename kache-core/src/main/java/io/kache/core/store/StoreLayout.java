package io.kache.core.store;

import io.kache.api.ArtifactKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where everything lives under the store root:
 * <pre>
 * blobs/ab/abcd…    one file per distinct content, named by its SHA-256, uncompressed
 * entries/CRATE/KEY one manifest per entry ({@link io.kache.core.entry.ManifestCodec}); mtime = last use
 * packs/CRATE/KEY   pulled entries still in the .tar.zst they came in, unpacked on first use; mtime = last use
 * locks/CRATE/KEY   per-key lock files
 * tmp/              files being written; PID-PREFIXED names so leftovers of dead processes are known
 * quarantine/       blobs found not to match their name, kept as evidence (SHA.failed), removed by gc after a week
 * store.lock        shared by writers, exclusive for garbage collection
 * counters          hits, misses, passthroughs, bytes restored, size estimate
 * hashes            the content-hash memo
 * </pre>
 * Everything a reader can see appears by an atomic link or rename from {@code tmp/}, which is on
 * the same file system.
 */
final class StoreLayout {

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
        this.blobs = root.resolve("blobs");
        this.entries = root.resolve("entries");
        this.entryFiles = new KeyTree(entries);
        this.packFiles = new KeyTree(root.resolve("packs"));
        this.locks = root.resolve("locks");
        this.tmp = root.resolve("tmp");
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
        return root.resolve("quarantine");
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
        return root.resolve("store.lock");
    }

    Path counters() {
        return root.resolve("counters");
    }

    Path hashes() {
        return root.resolve("hashes");
    }

    /** A fresh, unused path in {@code tmp/}: {@code PID-SEQ-RANDOM.purpose}. */
    Path newTemp(String purpose) {
        return tmp.resolve(Pid.VALUE + "-" + SEQUENCE.incrementAndGet() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "." + purpose);
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
