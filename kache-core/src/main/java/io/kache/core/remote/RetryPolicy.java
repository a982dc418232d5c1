package io.kache.core.remote;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often a request or transfer that failed with a retryable error
 * ({@link io.kache.api.StoreUnavailableException}: unreachable, 5xx, throttled) is tried again,
 * with exponential backoff and jitter so parallel transfers do not retry in lockstep into a
 * throttling server. Non-retryable errors are never retried. Each caller of {@link EntryTransfer}
 * passes its own: {@code kache sync} the configured one, the read-through and the write-back
 * {@link #DEFAULT}.
 *
 * @param maxAttempts attempts in all, the first included; at least 1
 * @param initialDelay the wait before the second attempt
 * @param maxDelay the longest wait between attempts
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay) {

    /**
     * One attempt: the remote's client already retries each request (S3: {@code S3RetryPolicy}, at
     * most 3 attempts within {@code timeout}), and a second policy on top would multiply its
     * attempts and its time against a remote that is down.
     */
    public static final RetryPolicy DEFAULT = new RetryPolicy(1, Duration.ZERO, Duration.ZERO);

    public RetryPolicy {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("need 0 <= initialDelay <= maxDelay");
        }
    }

    /** The wait after failed attempt {@code attempt} (1-based): doubling, capped, with up to 50% jitter off. */
    public Duration delayAfter(int attempt) {
        long base = initialDelay.toMillis() << Math.min(attempt - 1, 20);
        long capped = Math.min(base, maxDelay.toMillis());
        long jitter = capped <= 1 ? 0 : ThreadLocalRandom.current().nextLong(capped / 2 + 1);
        return Duration.ofMillis(capped - jitter);
    }
}
