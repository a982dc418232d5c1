package io.kache.core.store;

import io.kache.api.ArtifactKey;
import java.time.Instant;
import java.util.Objects;

/**
 * One entry as {@code kache list} shows it.
 *
 * @param key crate and cache key
 * @param files number of files
 * @param size total bytes of its files (shared blobs counted for each entry)
 * @param lastUsed when it was stored or last hit
 * @param packed whether it is still the pack it was pulled in, to be unpacked on first use
 */
public record EntryInfo(ArtifactKey key, int files, long size, Instant lastUsed, boolean packed) {

    public EntryInfo {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(lastUsed, "lastUsed");
    }
}
