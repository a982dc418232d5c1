package io.kache.core.sync;

import io.kache.api.StoreException;
import java.time.Duration;

/**
 * Told what a running sync does, for progress displays. Called from transfer threads, possibly
 * concurrently; implementations must be thread-safe and quick, and must not throw: a listener's
 * exception ends the sync without a result. Every method does nothing by default.
 */
public interface SyncListener {

    /** A listener that ignores everything. */
    SyncListener NONE = new SyncListener() {
    };

    /**
     * Everything the sync will move is known. A sync that plans as it goes has already started
     * (and may have finished) some of the pulls by then.
     */
    default void planned(SyncPlan plan) {
    }

    /** {@code transfer} begins its first attempt. */
    default void started(Transfer transfer) {
    }

    /** An attempt of {@code transfer} failed with a retryable error; the next starts after {@code wait}. */
    default void retrying(Transfer transfer, int failedAttempt, StoreException error, Duration wait) {
    }

    /** {@code outcome.transfer()} ended. */
    default void finished(TransferOutcome outcome) {
    }

    /**
     * The remote refused a whole direction (access denied, a missing bucket): the remaining
     * transfers of that direction are skipped. Called once per direction.
     *
     * @param explanation one or two sentences naming the cause and the fix
     */
    default void refused(Direction direction, String explanation) {
    }
}
