package io.kache.core.pack;

/**
 * Bounds on what an untrusted pack may make kache write.
 *
 * @param maxTotalBytes most bytes of file content one pack may declare (default 8 GiB)
 */
public record PackLimits(long maxTotalBytes) {

    /** 8 GiB. */
    public static final long DEFAULT_MAX_TOTAL = 8L << 30;

    public PackLimits {
        if (maxTotalBytes <= 0) {
            throw new IllegalArgumentException("maxTotalBytes must be positive");
        }
    }

    public static PackLimits defaults() {
        return new PackLimits(DEFAULT_MAX_TOTAL);
    }
}
