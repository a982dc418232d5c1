package io.kache.core.store;

import io.kache.api.ArtifactKey;
import io.kache.api.CorruptedEntryException;
import io.kache.core.entry.EntryManifest;
import io.kache.core.entry.OutputFile;
import io.kache.core.hash.ContentHashes;
import io.kache.core.pack.PackFormat;
import io.kache.core.pack.PackLimits;
import io.kache.core.rustc.ToolchainMemo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.LoggerFactory;

/**
 * The local content-addressed store: one machine's cache, shared by every kache process on it.
 * Layout and file formats: {@link StoreLayout}. Thread-safe and safe across processes.
 *
 * <p>Guarantees: a reader sees a whole entry or none (blobs first, then the manifest by atomic
 * link; a manifest given one more rendering of its diagnostics is renamed over the old one, its
 * files unchanged, so a reader sees either, whole); a process killed at any point leaves no visible partial entry, and its temp files are
 * swept by a later collection; a stored blob is never changed by later writes in a target
 * directory (see {@link Blobs} and {@link Restorer}).
 *
 * <p>The hit path ({@link #lookup} + {@link #restore}) reads one small manifest and links or copies
 * uncompressed blobs: no decompression, no locks, and no hashing of a blob whose identity is the
 * one kache recorded (a changed blob is read, found out and quarantined; see {@link Blobs}).
 */
public final class LocalStore implements AutoCloseable {

    /** How long a writer waits for a running garbage collection. */
    static final Duration WRITER_WAIT = Duration.ofSeconds(60);

    private final StoreLayout layout;
    private final long maxSizeBytes;
    private final Blobs blobs;
    private final Entries entries;
    private final Packs packs;
    private final Counters counters;
    private final ContentHashes hashes;
    private final CallKeyIndex callKeys;

    private LocalStore(StoreLayout layout, long maxSizeBytes) {
        this.layout = layout;
        this.maxSizeBytes = maxSizeBytes;
        this.hashes = ContentHashes.memoizedIn(layout.hashes(), layout.checksums());
        this.blobs = new Blobs(layout, hashes);
        this.entries = new Entries(layout);
        this.packs = new Packs(layout);
        this.counters = new Counters(layout);
        this.callKeys = new CallKeyIndex(layout);
    }

    /**
     * Opens (creating if needed) the store at {@code root}.
     *
     * @param maxSizeBytes the size cap; puts beyond it evict least recently used entries
     * @throws IOException if the directories cannot be created, or {@code root} is not a directory
     */
    public static LocalStore open(Path root, long maxSizeBytes) throws IOException {
        if (maxSizeBytes <= 0) {
            throw new IllegalArgumentException("store size cap must be positive, got " + maxSizeBytes);
        }
        try {
            new StoreLayout(root.toAbsolutePath().normalize()).create();
        } catch (java.nio.file.FileSystemException e) {
            // Said of the root, not of ROOT/blobs ("Not a directory"): the setting names the root.
            if (Files.exists(root) && !Files.isDirectory(root)) {
                throw new java.nio.file.NotDirectoryException(root + " is " + (Files.isRegularFile(root) ? "a file" : "there")
                        + ", not a directory");
            }
            throw e;
        }
        // The real path, so two spellings of one root (a symlink) share this JVM's lock guards.
        return new LocalStore(new StoreLayout(root.toRealPath()), maxSizeBytes);
    }

    public Path root() {
        return layout.root();
    }

    public long maxSizeBytes() {
        return maxSizeBytes;
    }

    /**
     * A fresh path in the store's {@code tmp/} for a file or directory a caller writes and deletes
     * itself: named by this process, so a collection removes it as soon as the process is gone, not
     * a day later.
     *
     * @param purpose the name's suffix, saying what the file is for
     */
    public Path newTemp(String purpose) {
        return layout.newTemp(purpose);
    }

    /**
     * Holds {@code output} by a hard link in {@code tmp/} so it can be stored later from the pin,
     * whatever happens to {@code output} meanwhile; see {@link PinnedOutput}. Empty where no link
     * can be made (the output is on another file system than the store): store it at once instead.
     */
    public Optional<PinnedOutput> pin(Path output) throws IOException {
        return PinnedOutput.of(output, layout.newTemp("pin"));
    }

    /**
     * Waits until no live process holds pinned outputs here, at most {@code maxWait}: the kache
     * server stores a miss after cargo has it, so right after a build the last entries may still be
     * on their way (milliseconds). Commands that read or send the store's entries wait for them
     * first. Pins of dead processes do not count (a collection sweeps them).
     *
     * @return whether none is left
     */
    public boolean awaitStoresInFlight(Duration maxWait) throws IOException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (true) {
            boolean inFlight = false;
            try (java.util.stream.Stream<Path> files = Files.list(layout.root().resolve(StoreLayout.TMP))) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    String n = f.getFileName().toString();
                    long pid = StoreLayout.ownerPid(n);
                    if (n.endsWith(".pin") && pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                        inFlight = true;
                        break;
                    }
                }
            } catch (NoSuchFileException e) {
                return true;
            }
            if (!inFlight) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** The call-key index: which input sets led to which entries, kept in step with them. */
    public CallKeyIndex callKeyIndex() {
        return callKeys;
    }

    /** The queue of entries waiting for the write-back to the remote. */
    public PendingUploads pendingUploads() {
        return new PendingUploads(layout);
    }

    /** What went into the keys of entries compiled here and of each crate's latest miss ({@code kache why-miss}). */
    public MissRecords missRecords() {
        return new MissRecords(layout);
    }

    /** The build journal: what each wrapper call did, for {@code kache report} and build records. */
    public BuildJournal journal() {
        return new BuildJournal(layout);
    }

    /** Whether builds leave the remote {@code to} alone after a recent failure. */
    public RemoteHealth remoteHealth(io.kache.core.remote.RemoteDestination to) {
        return new RemoteHealth(layout, to);
    }

    /** Where {@link io.kache.core.rustc.ToolchainIdentity} and {@link io.kache.core.rustc.CompilerKinds} remember what they learned. */
    /**
     * Whether the store holds no entry at all, as a fresh CI runner's: one or two directory reads. A
     * crate's directory left empty by eviction counts as holding something: only a store never
     * filled is said to be empty.
     */
    public boolean holdsNoEntry() {
        return emptyOrAbsent(layout.root().resolve(StoreLayout.ENTRIES))
                && emptyOrAbsent(layout.root().resolve(StoreLayout.PACKS));
    }

    private static boolean emptyOrAbsent(Path dir) {
        try (java.nio.file.DirectoryStream<Path> d = Files.newDirectoryStream(dir)) {
            return !d.iterator().hasNext();
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    public ToolchainMemo toolchainMemo() {
        return new ToolchainMemoFiles(layout);
    }

    /**
     * The entry for {@code key}, marking it recently used; empty on a miss. An unreadable entry
     * is deleted and reported as a miss. Cheap: reads one small file, no hashing. A pack left
     * under {@code packs/} by an older kache's pull is unpacked first, through the same verified
     * import as a pull ({@link #importPack}); a pack that fails verification is deleted and
     * reported as a miss.
     */
    public Optional<EntryManifest> lookup(ArtifactKey key) throws IOException {
        Optional<EntryManifest> m = readEntry(key);
        if (m.isEmpty() && packs.exists(key)) {
            m = unpack(key);
        }
        if (m.isPresent()) {
            entries.touch(key);
        }
        return m;
    }

    private Optional<EntryManifest> readEntry(ArtifactKey key) throws IOException {
        try {
            return entries.read(key);
        } catch (CorruptedEntryException e) {
            LoggerFactory.getLogger(LocalStore.class).warn("dropping unreadable entry {}: {}", key, e.getMessage());
            entries.delete(key);
            return Optional.empty();
        }
    }

    private Optional<EntryManifest> unpack(ArtifactKey key) throws IOException {
        long packBytes = packs.size(key);
        try (InputStream in = Files.newInputStream(packs.path(key))) {
            // Not indexed again: storePack indexed it.
            importVerified(key, in, PackLimits.defaults(), ImportBudget.UNLIMITED);
        } catch (NoSuchFileException e) {
            // Unpacked or collected by another process meanwhile: whatever it left is read below.
            return readEntry(key);
        } catch (CorruptedEntryException e) {
            LoggerFactory.getLogger(LocalStore.class).warn("dropping pulled pack {}: {}", key, e.getMessage());
            packs.delete(key);
            return Optional.empty();
        }
        if (packs.delete(key) && packBytes > 0) {
            try {
                counters.add(Counters.SIZE_ESTIMATE, -packBytes);
            } catch (IOException | RuntimeException e) {
                countFailed(e);
            }
        }
        return readEntry(key);
    }

    /** Whether an entry for {@code key} is present, unpacked or as a pulled pack; does not mark it used. */
    public boolean contains(ArtifactKey key) throws IOException {
        return entries.exists(key) || packs.exists(key);
    }

    /**
     * Stores the outputs of one rustc call under {@code key}: each file hashed and copied into a
     * blob (identical content stored once), then the manifest published atomically. Idempotent:
     * if the key is already present, the stored entry is kept and returned, its files unchanged;
     * when it has no rendering of its diagnostics for this call's flags (attribute
     * {@link EntryManifest#DIAGNOSTIC_FLAGS}), this call's is added to it ({@link EntryManifest#withRenderingOf},
     * an atomic replace), so it serves those flags too. Evicts least recently
     * used entries down to 90% of the cap when the store grows beyond it.
     *
     * @return the manifest now stored under {@code key}
     * @throws IllegalArgumentException if two outputs have the same name
     * @throws IOException if an output cannot be read or the store written; nothing is then visible
     */
    public EntryManifest put(ArtifactKey key, List<OutputFile> outputs, byte[] stdout, byte[] stderr,
                             Map<String, String> attributes) throws IOException {
        Ingest.Stored stored = new Ingest(layout, blobs, entries, hashes).put(key, outputs, stdout, stderr, attributes);
        maintenance().afterWrite(stored.addedBytes());
        return stored.manifest();
    }

    /**
     * Places every file of {@code entry} at {@code targetDir/name}, replacing existing files
     * atomically; see {@link Restorer} for when files are hard links and when copies. Restored
     * files have the current mtime. Records their hashes in {@link #hashes()}.
     *
     * @return bytes restored
     * @throws CorruptedEntryException if a blob is missing or no longer matches its hash (the entry
     *     is then dropped, a damaged blob quarantined, and nothing placed)
     * @throws IOException if the target cannot be written; files already placed stay, complete
     */
    public long restore(EntryManifest entry, Path targetDir) throws IOException {
        return restore(entry, targetDir, Optional.empty());
    }

    /**
     * As {@link #restore(EntryManifest, Path)}, with {@code text}'s file (if the entry has it)
     * written as its rewritten text instead of its blob's bytes; that file's hash is not recorded.
     */
    public long restore(EntryManifest entry, Path targetDir, Optional<RewrittenText> text) throws IOException {
        try {
            return new Restorer(blobs, hashes).restore(entry, targetDir, text);
        } catch (CorruptedEntryException e) {
            entries.delete(entry.key());
            throw e;
        }
    }

    /**
     * Takes the per-key lock, waiting at most {@code maxWait}. Re-check {@link #lookup} after
     * acquiring: another process may have stored the entry meanwhile.
     *
     * @throws LockTimeoutException if not acquired in time
     */
    public KeyLock lock(ArtifactKey key, Duration maxWait) throws IOException {
        return KeyLock.acquire(key, layout.lock(key), FileLocking.deadline(maxWait));
    }

    /**
     * Verifies a pack of {@code key} and imports it atomically: on any failure nothing of it is
     * visible and its temporary files are gone. Importing a key already present keeps the
     * present entry. The entry is then recorded in the {@link #callKeyIndex} under the call key
     * and inputs it names, so a build finds it as if this machine had compiled it.
     *
     * @throws CorruptedEntryException if the pack is malformed, hostile, truncated, tampered
     *     with, or holds another key
     * @throws IOException the source's own failure, or the store's
     */
    public void importPack(ArtifactKey key, InputStream pack) throws IOException {
        importPack(key, pack, PackLimits.defaults());
    }

    /** {@link #importPack(ArtifactKey, InputStream)} with explicit limits. */
    public void importPack(ArtifactKey key, InputStream pack, PackLimits limits) throws IOException {
        importPack(key, pack, limits, ImportBudget.UNLIMITED);
    }

    /**
     * {@link #importPack(ArtifactKey, InputStream)} as one entry of a run that brings many, which
     * keeps it only if {@code budget} takes its size (see {@link ImportBudget}); a key already
     * present is kept and not counted.
     *
     * @return whether the entry is now here; false when the budget did not take it (nothing of it kept)
     */
    public boolean importPack(ArtifactKey key, InputStream pack, PackLimits limits, ImportBudget budget)
            throws IOException {
        if (!importVerified(key, pack, limits, budget)) {
            return false;
        }
        Optional<EntryManifest> entry = readEntry(key);
        if (entry.isPresent()) {
            callKeys.recordImported(entry.get());
        }
        return true;
    }

    private boolean importVerified(ArtifactKey key, InputStream pack, PackLimits limits, ImportBudget budget)
            throws IOException {
        java.util.OptionalLong added;
        try (StoreLock.Handle held = StoreLock.of(layout.storeLock()).shared(WRITER_WAIT)) {
            added = transfer().importPack(key, pack, limits, budget);
        }
        if (added.isEmpty()) {
            return false;
        }
        maintenance().afterWrite(added.getAsLong());
        return true;
    }

    /**
     * Keeps a pack of {@code key} as it is under {@code packs/}, as earlier versions of kache kept pulled
     * entries, to be unpacked by its first {@link #lookup}: only its trailer and manifest are
     * checked here. No command stores packs any more ({@code kache sync --pull} imports through
     * {@link #importPack}, verified in full, so a build finds the entries ready); stores that older
     * versions left are still read, and tests make such stores with this.
     *
     * @return the manifest the pack holds
     * @throws CorruptedEntryException if the pack is damaged, truncated, or holds another key
     *     (nothing is kept)
     * @throws IOException the source's own failure, or the store's
     */
    EntryManifest storePack(ArtifactKey key, InputStream pack) throws IOException {
        Packs.Stored stored;
        try (StoreLock.Handle held = StoreLock.of(layout.storeLock()).shared(WRITER_WAIT)) {
            stored = packs.store(key, pack, PackLimits.defaults(), entries);
        }
        maintenance().afterWrite(stored.addedBytes());
        callKeys.recordImported(stored.manifest());
        return stored.manifest();
    }

    /**
     * Writes the entry of {@code key} as a deterministic pack to {@code out} (flushed, not closed).
     *
     * @param compressionLevel zstd level 1..22
     * @return false if there is no such entry (nothing written)
     * @throws CorruptedEntryException if a blob of the entry is missing (the entry is dropped)
     */
    public boolean exportPack(ArtifactKey key, OutputStream out, int compressionLevel) throws IOException {
        PackFormat.checkLevel(compressionLevel);
        return transfer().exportPack(key, out, compressionLevel);
    }

    /** The content-hash memo under this store's root. */
    public ContentHashes hashes() {
        return hashes;
    }

    Path blobPath(String sha256) {
        return blobs.path(sha256);
    }

    StoreLayout layout() {
        return layout;
    }

    /** Counts a hit that restored {@code bytesRestored}. Never throws: counters are best effort. */
    public void recordHit(long bytesRestored) {
        try {
            counters.add(Counters.HITS, 1, Counters.BYTES_RESTORED, bytesRestored);
        } catch (IOException | RuntimeException e) {
            countFailed(e);
        }
    }

    /** Counts a miss. Never throws. */
    public void recordMiss() {
        try {
            counters.add(Counters.MISSES, 1);
        } catch (IOException | RuntimeException e) {
            countFailed(e);
        }
    }

    /** Counts a call kache did not cache, by reason (e.g. {@code incremental}). Never throws. */
    public void recordPassthrough(String reason) {
        try {
            counters.passthrough(reason);
        } catch (IOException | RuntimeException e) {
            countFailed(e);
        }
    }

    /** Zeroes the hit, miss, passthrough and bytes-restored counters, noting when (see {@link StoreStats#countingSince}). */
    public void resetCounters() throws IOException {
        counters.resetUsage(System.currentTimeMillis());
    }

    /** Entries, unique bytes and counters. Walks the store: for commands, not the hot path. */
    public StoreStats stats() throws IOException {
        return maintenance().stats();
    }

    /** Entries of one crate (exactly) or of all crates, sorted by crate then key. Unreadable entries are skipped. */
    public List<EntryInfo> list(Optional<String> crate) throws IOException {
        return maintenance().list(crate.map(LocalStore::validCrate));
    }

    /**
     * Removes entries not used within {@code maxAge} (if given), unreadable entries, unreferenced
     * blobs and leftovers of killed writers, then evicts LRU entries if over the cap. Waits for
     * writers in progress.
     */
    public GcResult gc(Optional<Duration> maxAge) throws IOException {
        Optional<Instant> cutoff = maxAge.map(a -> Instant.now().minus(a));
        return maintenance().collect(cutoff, k -> false, WRITER_WAIT);
    }

    /**
     * Reads every blob whole and checks it against its name, and every pulled pack's trailer:
     * damaged blobs are quarantined and the entries using them dropped, damaged packs removed. Holds
     * the writers' shared lock, so a collection does not run meanwhile; builds go on.
     */
    public StoreVerification verify() throws IOException {
        try (StoreLock.Handle held = StoreLock.of(layout.storeLock()).shared(WRITER_WAIT)) {
            return new StoreAudit(layout, blobs, entries, packs, hashes).run();
        }
    }

    /**
     * Checks every toolchain memo ({@code memos/}) against its seal and deletes those that fail.
     * Takes no lock: a memo deleted while a build reads it is a memo miss, asked of the compiler again.
     */
    public MemoVerification verifyToolchainMemos() {
        return new ToolchainMemoFiles(layout).verifyAll();
    }

    /** The cache keys of every entry in the store, unpacked or as a pulled pack. */
    public Set<String> cacheKeys() throws IOException {
        Set<String> keys = new HashSet<>();
        // Packs first: unpacking publishes the entry before it deletes the pack, so an entry
        // unpacked meanwhile is in one list or the other.
        for (ArtifactKey k : packs.files().allKeys()) {
            keys.add(k.cacheKey());
        }
        for (ArtifactKey k : entries.allKeys()) {
            keys.add(k.cacheKey());
        }
        return keys;
    }

    /**
     * Removes every entry of {@code crate}, or every entry when empty, and the blobs they alone used.
     * Emptying the store also forgets what it remembered of the toolchains ({@code memos/}): a
     * purge is what a user reaches for when in doubt, and each answer costs one compiler run to learn again.
     */
    public GcResult purge(Optional<String> crate) throws IOException {
        Optional<String> c = crate.map(LocalStore::validCrate);
        GcResult removed = maintenance().collect(Optional.empty(),
                k -> c.isEmpty() || k.crateName().equals(c.get()), WRITER_WAIT);
        if (c.isEmpty()) {
            new ToolchainMemoFiles(layout).forgetAll();
        }
        return removed;
    }

    private Maintenance maintenance() {
        return new Maintenance(layout, entries, packs, counters, maxSizeBytes);
    }

    private PackTransfer transfer() {
        return new PackTransfer(layout, blobs, entries, packs);
    }

    private static String validCrate(String crate) {
        if (!ArtifactKey.isValidCrateName(crate)) {
            throw new IllegalArgumentException("invalid crate name '" + crate + "'");
        }
        return crate;
    }

    private void countFailed(Exception e) {
        LoggerFactory.getLogger(LocalStore.class).debug("counter update failed in {}: {}", layout.root(), e.toString());
    }

    @Override
    public void close() throws IOException {
        hashes.close();
    }
}
