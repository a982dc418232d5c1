package io.kache.core.remote.s3.backend;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How often and how long an S3 call is tried: {@link #MAX_ATTEMPTS} attempts in all, with jittered
 * exponential backoff between them, attempts and waits together bounded by the remote's timeout: an
 * attempt that waited out the timeout on a server that never answers is not tried again. A client that
 * retries by itself (the AWS SDK) is configured with the same numbers; one that does not (MinIO)
 * runs its calls through {@link #call}. A failure the predicate calls permanent, such as a 403, is
 * never retried.
 */
public final class S3RetryPolicy {

    /** Attempts per call, the first included. */
    public static final int MAX_ATTEMPTS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(S3RetryPolicy.class);
    private static final long BASE_DELAY_MILLIS = 100;
    private static final Duration MIN_CONNECT_TIMEOUT = Duration.ofMillis(200);

    /** One attempt of a call. */
    @FunctionalInterface
    public interface Call<T> {
        T run() throws Exception;
    }

    private final Duration budget;
    private final Predicate<Exception> retryable;

    /**
     * @param budget how long the attempts and the waits between them may take in all: no attempt
     *     starts after it, so a call stays within about the timeout
     * @param retryable whether a failed attempt may be tried again
     */
    public S3RetryPolicy(Duration budget, Predicate<Exception> retryable) {
        this.budget = budget;
        this.retryable = retryable;
    }

    /**
     * The connect timeout for a remote whose requests may take {@code timeout}: a connection that
     * cannot be made fails all its attempts within the timeout, but never in less than 200 ms.
     */
    public static Duration connectTimeout(Duration timeout) {
        Duration perAttempt = timeout.dividedBy(MAX_ATTEMPTS);
        return perAttempt.compareTo(MIN_CONNECT_TIMEOUT) < 0 ? MIN_CONNECT_TIMEOUT : perAttempt;
    }

    /**
     * Runs {@code call} until it succeeds, fails permanently, has had {@link #MAX_ATTEMPTS}
     * attempts, or the next attempt would start after the budget is spent.
     *
     * @throws Exception the last attempt's failure, unchanged
     */
    public <T> T call(String operation, Call<T> call) throws Exception {
        long begin = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            try {
                return call.run();
            } catch (Exception e) {
                long delay = ThreadLocalRandom.current().nextLong(BASE_DELAY_MILLIS << (attempt - 1)) + 1;
                long spent = (System.nanoTime() - begin) / 1_000_000;
                if (attempt >= MAX_ATTEMPTS || !retryable.test(e) || spent + delay > budget.toMillis()) {
                    throw e;
                }
                LOG.debug("{} attempt {} failed ({}), retrying in {} ms", operation, attempt,
                        e.getClass().getSimpleName(), delay);
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
