package io.kache.core.store;

import io.kache.core.config.ByteSize;
import io.kache.core.config.ConfigKey;
import io.kache.core.entry.EntryManifest;
import io.kache.core.entry.ManifestCodec;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How much one run that brings many entries in at once (the server's prefetch of a build, a
 * {@code kache sync --pull}) may import into a local store without evicting what it brought: past
 * the store's cap each import evicts the least recently used entries, and those are soon this run's
 * own first ones, which the build then misses and downloads again.
 *
 * <p>The rule: an entry is kept while the entries this run imported and it together stay within
 * {@link Collector#LOW_WATER} of the cap, each counted as the collector counts it ({@link #sizeOf}):
 * its files unpacked, and its manifest. That is the level an eviction brings the store down to, so
 * within it an eviction can make room by taking every older entry and none of this run's; up to the
 * cap itself, one eviction would already take this run's first entries. The size of an entry is
 * known only from its manifest, so the first entry that does not fit is downloaded and verified,
 * then not kept: the run stops there (at most one download per fetch in flight is wasted).
 * Thread-safe: one run's fetches share it.
 */
public final class ImportBudget {

    /** No budget: every entry is kept, as a single call's read-through keeps its one entry. */
    public static final ImportBudget UNLIMITED = new ImportBudget(Long.MAX_VALUE, Long.MAX_VALUE);

    private final long cap;
    private final long limit;
    private final AtomicLong taken = new AtomicLong();
    private final AtomicBoolean reached = new AtomicBoolean();

    private ImportBudget(long cap, long limit) {
        this.cap = cap;
        this.limit = limit;
    }

    /** The budget of one run importing into {@code store}. */
    public static ImportBudget of(LocalStore store) {
        return new ImportBudget(store.maxSizeBytes(), (long) (store.maxSizeBytes() * Collector.LOW_WATER));
    }

    /**
     * Counts entry {@code m} against the budget if it fits; an unlimited budget (every read-through)
     * takes it without sizing it.
     *
     * @return whether it fits; once one did not, none does any more: the run stops there
     */
    boolean takes(EntryManifest m) {
        return limit == Long.MAX_VALUE || take(sizeOf(m));
    }

    /**
     * Counts an entry of {@code bytes} against the budget if it fits.
     *
     * @return whether it fits; once one did not, none does any more: the run stops there
     */
    boolean take(long bytes) {
        if (limit == Long.MAX_VALUE) {
            // Unlimited, and shared: nothing to count.
            return true;
        }
        while (!reached.get()) {
            long before = taken.get();
            if (before + bytes > limit) {
                reached.set(true);
                return false;
            }
            if (taken.compareAndSet(before, before + bytes)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The bytes {@code m} takes in the store as an eviction counts them: its files, unpacked, and its
     * manifest. A blob it shares with another entry is counted for each, as {@link EntryInfo#size}
     * counts it: the budget may stop a little early, never late.
     */
    static long sizeOf(EntryManifest m) {
        return m.totalSize() + ManifestCodec.encode(m).length;
    }

    /** Whether an entry did not fit: the run should bring nothing more. */
    public boolean reached() {
        return reached.get();
    }

    /** The bytes of the entries kept so far. */
    public long taken() {
        return taken.get();
    }

    /**
     * Why the run stopped and how to let it bring more, one sentence for its report, e.g. {@code
     * stopped at the local store's cap: the 44.8 GiB brought in and the next entry would pass 90% of
     * local_max_size (50.0 GiB), past which an eviction would take what was brought; raise
     * local_max_size (KACHE_MAX_SIZE) to bring more}.
     */
    public String explanation() {
        ConfigKey key = ConfigKey.LOCAL_MAX_SIZE;
        return "stopped at the local store's cap: the " + ByteSize.format(taken.get())
                + " brought in and the next entry would pass " + Math.round(Collector.LOW_WATER * 100) + "% of "
                + key.tableKey() + " (" + ByteSize.format(cap) + "), past which an eviction would take what was"
                + " brought; raise " + key.tableKey()
                + key.envVar().map(v -> " (" + v + ")").orElse("") + " to bring more";
    }
}
