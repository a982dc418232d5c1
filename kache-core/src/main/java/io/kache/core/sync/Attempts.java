package io.kache.core.sync;

import io.kache.api.StoreException;
import io.kache.api.StoreUnavailableException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * Runs one remote call under a {@link RetryPolicy}, counting attempts. Only retryable store
 * errors are retried; the last error is thrown when attempts run out.
 */
final class Attempts {

    /** One call against the remote. */
    @FunctionalInterface
    interface StoreCall<T> {
        T call() throws StoreException;
    }

    /** Told before each wait, e.g. to show a retry. */
    @FunctionalInterface
    interface Observer {
        void retrying(int failedAttempt, StoreException error, Duration wait);
    }

    private final RetryPolicy policy;
    private int count;

    Attempts(RetryPolicy policy) {
        this.policy = policy;
    }

    <T> T run(StoreCall<T> call, Observer observer) throws StoreException {
        while (true) {
            count++;
            try {
                return call.call();
            } catch (StoreException e) {
                if (!e.isRetryable() || count >= policy.maxAttempts()) {
                    throw e;
                }
                Duration wait = policy.delayAfter(count);
                observer.retrying(count, e, wait);
                pause(wait, e);
            }
        }
    }

    int count() {
        return count;
    }

    /** A lazily paged listing reports paging failures unchecked; turn them back into store errors. */
    static StoreException unwrap(UncheckedIOException e) {
        if (e.getCause() instanceof StoreException s) {
            return s;
        }
        return new StoreUnavailableException("listing failed: " + e.getCause().getMessage(), e.getCause());
    }

    private static void pause(Duration wait, StoreException cause) throws StoreException {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw cause;
        }
    }
}
