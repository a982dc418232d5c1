package io.kache.core.store;

/**
 * What a garbage collection, eviction or purge removed and what is left.
 *
 * @param entriesRemoved entries deleted (expired, evicted, purged or unreadable)
 * @param blobsRemoved blobs deleted because no remaining entry referenced them
 * @param bytesFreed bytes of the deleted blobs and manifests
 * @param entriesRemaining entries left
 * @param bytesRemaining bytes of the remaining blobs and manifests
 * @param tempFilesRemoved leftovers of interrupted writers deleted from {@code tmp/}, and quarantined
 *     blobs kept past their time
 */
public record GcResult(long entriesRemoved, long blobsRemoved, long bytesFreed, long entriesRemaining,
                       long bytesRemaining, long tempFilesRemoved) {

    /** The result of a collection that did not run (another process was collecting). */
    public static GcResult skipped() {
        return new GcResult(0, 0, 0, -1, -1, 0);
    }
}
