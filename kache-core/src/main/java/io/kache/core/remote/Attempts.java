package io.kache.core.remote;

import io.kache.api.StoreException;
import io.kache.api.StoreUnavailableException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * Runs remote calls under one {@link RetryPolicy}, counting attempts: the retry loop of every
 * transfer and listing. Only retryable store errors are retried; the last error is thrown when
 * attempts run out. One instance per request or transfer, so its count is that one's.
 */
public final class Attempts {

    /** One call against the remote. */
    @FunctionalInterface
    public interface StoreCall<T> {
        T call() throws StoreException;
    }

    /** Told before each wait, e.g. to show a retry. */
    @FunctionalInterface
    public interface Observer {
        Observer NONE = (failedAttempt, error, wait) -> { };

        void retrying(int failedAttempt, StoreException error, Duration wait);
    }

    private final RetryPolicy policy;
    private final Observer observer;
    private int count;

    public Attempts(RetryPolicy policy, Observer observer) {
        this.policy = policy;
        this.observer = observer;
    }

    public <T> T run(StoreCall<T> call) throws StoreException {
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

    /** Attempts made so far. */
    public int count() {
        return count;
    }

    /** A lazily paged listing reports paging failures unchecked; turn them back into store errors. */
    public static StoreException unwrap(UncheckedIOException e) {
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
