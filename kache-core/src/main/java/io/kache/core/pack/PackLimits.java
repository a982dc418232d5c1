package io.kache.core.pack;

import io.kache.core.entry.ManifestCodec;

/**
 * Bounds on what an untrusted pack may make kache write.
 *
 * @param maxTotalBytes most bytes of file content one pack may declare (default 8 GiB)
 */
public record PackLimits(long maxTotalBytes) {

    /** 8 GiB. */
    public static final long DEFAULT_MAX_TOTAL = 8L << 30;
    /** What zstd and tar framing add to a pack's content, never this much. */
    private static final long FRAMING_SLACK = 16L << 20;

    public PackLimits {
        if (maxTotalBytes <= 0) {
            throw new IllegalArgumentException("maxTotalBytes must be positive");
        }
    }

    public static PackLimits defaults() {
        return new PackLimits(DEFAULT_MAX_TOTAL);
    }

    /**
     * Most bytes a pack within these limits takes, compressed or not: its files, a manifest of
     * the largest size accepted, and framing. A longer object is no pack of kache's, and can be
     * refused before it is read.
     */
    public long maxPackBytes() {
        return maxTotalBytes + ManifestCodec.MAX_ENCODED_SIZE + FRAMING_SLACK;
    }
}
