package io.kache.core.store;

import io.kache.api.ArtifactKey;
import io.kache.api.CorruptedEntryException;
import io.kache.core.entry.EntryManifest;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/** The store's slower operations: statistics, listing, collection and the size cap. */
final class Maintenance {

    private final StoreLayout layout;
    private final Entries entries;
    private final Packs packs;
    private final Counters counters;
    private final long maxSizeBytes;

    Maintenance(StoreLayout layout, Entries entries, Packs packs, Counters counters, long maxSizeBytes) {
        this.layout = layout;
        this.entries = entries;
        this.packs = packs;
        this.counters = counters;
        this.maxSizeBytes = maxSizeBytes;
    }

    StoreStats stats() throws IOException {
        long[] c = counters.read();
        long unpacked = entries.allKeys().size();
        long packed = 0;
        long packBytes = 0;
        for (ArtifactKey k : packs.files().allKeys()) {
            long size = entries.exists(k) ? -1 : packs.size(k);
            if (size >= 0) {
                packed++;
                packBytes += size;
            }
        }
        long bytes = BlobScan.totalBytes(layout.blobsDir()) + packBytes;
        return new StoreStats(unpacked + packed, packed, bytes, maxSizeBytes, c[Counters.HITS], c[Counters.MISSES],
                c[Counters.PASSTHROUGHS], c[Counters.BYTES_RESTORED], counters.reasons(),
                c[Counters.COUNTING_SINCE] == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(c[Counters.COUNTING_SINCE])));
    }

    /** Unpacked entries and pulled packs together, sorted by crate then key. */
    List<EntryInfo> list(Optional<String> crate) throws IOException {
        KeyTree packFiles = packs.files();
        List<ArtifactKey> keys = new ArrayList<>(crate.isPresent() ? entries.keys(crate.get()) : entries.allKeys());
        Set<ArtifactKey> unpacked = new HashSet<>(keys);
        for (ArtifactKey k : crate.isPresent() ? packFiles.keys(crate.get()) : packFiles.allKeys()) {
            if (!unpacked.contains(k)) {
                keys.add(k);
            }
        }
        keys.sort(Comparator.comparing(ArtifactKey::crateName).thenComparing(ArtifactKey::cacheKey));
        List<EntryInfo> out = new ArrayList<>();
        for (ArtifactKey k : keys) {
            boolean packed = !unpacked.contains(k);
            try {
                Optional<EntryManifest> m = packed ? packs.manifest(k) : entries.read(k);
                Optional<Instant> used = packed ? packFiles.lastUsed(k) : entries.lastUsed(k);
                if (m.isPresent() && used.isPresent()) {
                    out.add(new EntryInfo(k, m.get().files().size(), m.get().totalSize(), used.get(), packed,
                            EntryInfo.packageOf(k, m.get().attributes())));
                }
            } catch (CorruptedEntryException e) {
                // Listed by nobody; the next collection or lookup removes it.
            }
        }
        return out;
    }

    /** A full collection, waiting up to {@code wait} for writers in progress. */
    GcResult collect(Optional<Instant> cutoff, Predicate<ArtifactKey> remove, Duration wait) throws IOException {
        Optional<StoreLock.Handle> held = StoreLock.of(layout.storeLock()).exclusive(wait);
        if (held.isEmpty()) {
            throw new LockTimeoutException("timed out waiting for writers to finish in " + layout.root());
        }
        try (StoreLock.Handle h = held.get()) {
            return new Collector(layout, entries, packs, counters).collect(cutoff, remove, maxSizeBytes);
        }
    }

    /** Keeps the size estimate and evicts when it passes the cap; a busy collector means skip. */
    void afterWrite(long addedBytes) throws IOException {
        long estimate = counters.add(Counters.SIZE_ESTIMATE, addedBytes)[Counters.SIZE_ESTIMATE];
        if (estimate <= maxSizeBytes) {
            return;
        }
        Optional<StoreLock.Handle> held = StoreLock.of(layout.storeLock()).exclusive(Duration.ZERO);
        if (held.isPresent()) {
            try (StoreLock.Handle h = held.get()) {
                new Collector(layout, entries, packs, counters).collect(Optional.empty(), k -> false, maxSizeBytes);
            }
        }
    }
}
