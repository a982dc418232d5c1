package io.kache.core.store;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of the local store and its counters.
 *
 * @param entries entries present, unpacked or not
 * @param packedEntries of those, pulled entries still in their pack (unpacked on first use)
 * @param uniqueBytes what the store occupies: distinct content (each blob once) and pulled packs
 * @param maxBytes the configured size cap
 * @param hits cache hits recorded
 * @param misses cache misses recorded
 * @param passthroughs calls kache did not cache, all reasons together
 * @param bytesRestored bytes placed into target directories by hits
 * @param passthroughReasons passthrough counts by reason
 * @param countingSince when the counters were last reset; empty if never
 */
public record StoreStats(long entries, long packedEntries, long uniqueBytes, long maxBytes, long hits, long misses,
                         long passthroughs, long bytesRestored, Map<String, Long> passthroughReasons,
                         Optional<Instant> countingSince) {

    public StoreStats {
        passthroughReasons = Map.copyOf(Objects.requireNonNull(passthroughReasons, "passthroughReasons"));
        Objects.requireNonNull(countingSince, "countingSince");
    }

    /** Hits over hits plus misses, 0 when there were none. */
    public double hitRate() {
        long lookups = hits + misses;
        return lookups == 0 ? 0 : (double) hits / lookups;
    }
}
