package io.kache.core.store;

import io.kache.api.ArtifactKey;
import io.kache.api.CorruptedEntryException;
import io.kache.core.entry.EntryFile;
import io.kache.core.entry.EntryManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/**
 * Garbage collection: drops expired, purged and damaged entries (unpacked or pulled packs), evicts
 * least recently used entries while the store is over its cap (down to 90% of it), deletes blobs no remaining entry
 * references, and sweeps what killed writers left in {@code tmp/}. Runs under the exclusive
 * {@link StoreLock}, so no writer is between staging a blob and publishing its manifest.
 */
final class Collector {

    /** After an eviction the store is at most this fraction of its cap. */
    static final double LOW_WATER = 0.9;

    private final StoreLayout layout;
    private final Entries entries;
    private final Packs packs;
    private final Counters counters;

    Collector(StoreLayout layout, Entries entries, Packs packs, Counters counters) {
        this.layout = layout;
        this.entries = entries;
        this.packs = packs;
        this.counters = counters;
    }

    /**
     * An entry that stays unless evicted.
     *
     * @param files the blobs it references; none for a pack
     * @param ownBytes its manifest's or its pack's size
     * @param packed whether it is a pulled pack
     */
    private record Live(ArtifactKey key, List<EntryFile> files, Instant lastUsed, long ownBytes, boolean packed) {
    }

    /**
     * @param olderThan entries last used before this instant are removed
     * @param remove entries whose key matches are removed regardless of age
     * @param maxBytes the cap; LRU eviction runs when the rest exceeds it
     */
    GcResult collect(Optional<Instant> olderThan, Predicate<ArtifactKey> remove, long maxBytes) throws IOException {
        long temps = TempSweeper.sweep(layout.tmpDir()) + new Quarantine(layout).sweep();
        new BuildJournal(layout).prune(System.currentTimeMillis());
        long removed = 0;
        long freed = 0;
        int unreadable = 0;
        List<Live> live = new ArrayList<>();
        for (ArtifactKey key : entries.allKeys()) {
            Path file = layout.entry(key);
            Optional<EntryManifest> m;
            Optional<Instant> used;
            long bytes;
            try {
                m = entries.read(key);
                used = entries.lastUsed(key);
                bytes = Files.size(file);
            } catch (java.nio.file.NoSuchFileException e) {
                continue;   // removed meanwhile (a purge): nothing left to collect
            } catch (CorruptedEntryException e) {
                m = Optional.empty();
                used = Optional.empty();
                bytes = 0;
                log("removing damaged entry " + key + ": " + e.getMessage());
            } catch (IOException e) {
                // Not readable to this process (another user's entry in a shared store, a passing
                // EMFILE or EIO) is not damaged: it stays, and so does every blob it may reference.
                if (unreadable++ == 0) {
                    log("kept entry " + file + ", which this process cannot read (" + e.getMessage()
                            + "); blobs no entry names are kept while what an entry references is unknown");
                }
                continue;
            }
            boolean expired = used.isPresent() && olderThan.isPresent() && used.get().isBefore(olderThan.get());
            if (m.isEmpty() || used.isEmpty() || expired || remove.test(key)) {
                if (entries.delete(key)) {
                    removed++;
                    freed += bytes;
                }
                continue;
            }
            live.add(new Live(key, m.get().files(), used.get(), bytes, false));
        }
        for (ArtifactKey key : packs.files().allKeys()) {
            long bytes = packs.size(key);
            Optional<Instant> used = packs.files().lastUsed(key);
            if (bytes < 0 || used.isEmpty()) {
                continue;
            }
            boolean unpacked = entries.exists(key);
            boolean expired = olderThan.isPresent() && used.get().isBefore(olderThan.get());
            if (unpacked || expired || remove.test(key)) {
                // A pack whose entry was unpacked by a process that died before deleting it only takes space.
                if (packs.delete(key)) {
                    removed += unpacked ? 0 : 1;
                    freed += bytes;
                }
                continue;
            }
            live.add(new Live(key, List.of(), used.get(), bytes, true));
        }
        Map<String, Integer> refs = new HashMap<>();
        for (Live l : live) {
            for (EntryFile f : l.files()) {
                refs.merge(f.sha256(), 1, Integer::sum);
            }
        }
        boolean refsKnown = unreadable == 0;
        BlobScan blobs = refsKnown ? BlobScan.sweep(layout.blobsDir(), refs.keySet()) : BlobScan.measure(layout.blobsDir());
        freed += blobs.bytesFreed();
        long blobsRemoved = blobs.removed();
        // With references unknown, blobs no readable entry names cannot be freed: they are left out
        // of what eviction counts, or it would evict every entry and still stand over the cap, and
        // every later store would start another pass.
        long total = refsKnown ? blobs.bytesKept() : blobs.sizes().entrySet().stream()
                .filter(b -> refs.containsKey(b.getKey())).mapToLong(Map.Entry::getValue).sum();
        for (Live l : live) {
            total += l.ownBytes();
        }
        // Eviction goes on with references unknown: a blob an unreadable entry shares with a victim
        // may go with the victim, which costs that entry a miss, never a wrong restore (blobs are
        // checked before any file is placed); a store that stopped evicting would grow for ever.
        if (total > maxBytes) {
            long target = (long) (maxBytes * LOW_WATER);
            live.sort(Comparator.comparing(Live::lastUsed));
            int i = 0;
            while (total > target && i < live.size()) {
                Live victim = live.get(i++);
                if (!(victim.packed() ? packs.delete(victim.key()) : entries.delete(victim.key()))) {
                    continue;
                }
                removed++;
                total -= victim.ownBytes();
                freed += victim.ownBytes();
                for (EntryFile f : victim.files()) {
                    if (refs.merge(f.sha256(), -1, Integer::sum) == 0) {
                        Long size = blobs.sizes().get(f.sha256());
                        if (size != null && Files.deleteIfExists(layout.blob(f.sha256()))) {
                            blobsRemoved++;
                            total -= size;
                            freed += size;
                        }
                    }
                }
            }
            live = live.subList(i, live.size());
        }
        LockFiles.sweep(layout, entries);
        MissRecords.sweep(layout, entries);
        counters.set(Counters.SIZE_ESTIMATE, total);
        return new GcResult(removed, blobsRemoved, freed, live.size(), total, temps);
    }

    private static void log(String message) {
        LoggerFactory.getLogger(Collector.class).warn(message);
    }
}
