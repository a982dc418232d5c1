package io.kache.core.remote.s3.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Attempts, backoff budget and connect timeout of S3 calls. */
class S3RetryPolicyTest {

    private static final Duration BUDGET = Duration.ofSeconds(10);

    private static S3RetryPolicy retryingIoFailures(Duration budget) {
        return new S3RetryPolicy(budget, e -> e instanceof IOException);
    }

    @Test
    void aRetryableFailureIsTriedAgainUntilItSucceeds() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        String result = retryingIoFailures(BUDGET).call("GetObject", () -> {
            if (attempts.incrementAndGet() < S3RetryPolicy.MAX_ATTEMPTS) {
                throw new IOException("connection reset");
            }
            return "body";
        });
        assertEquals("body", result);
        assertEquals(S3RetryPolicy.MAX_ATTEMPTS, attempts.get());
    }

    /** How many attempts a call that always fails with {@code failure} gets; the failure comes out unchanged. */
    private static int attemptsGivenTo(S3RetryPolicy policy, Exception failure) {
        AtomicInteger attempts = new AtomicInteger();
        Exception thrown = assertThrows(Exception.class, () -> policy.call("GetObject", () -> {
            attempts.incrementAndGet();
            throw failure;
        }));
        assertSame(failure, thrown);
        return attempts.get();
    }

    @Test
    void aPersistentFailureCostsThreeAttemptsAndIsRethrownUnchanged() {
        assertEquals(3, S3RetryPolicy.MAX_ATTEMPTS);
        assertEquals(3, attemptsGivenTo(retryingIoFailures(BUDGET), new IOException("still down")));
    }

    @Test
    void aPermanentFailureIsNotRetried() {
        assertEquals(1, attemptsGivenTo(retryingIoFailures(BUDGET), new IllegalStateException("403")));
    }

    @Test
    void noRetryWhenTheBackoffWouldExceedTheBudget() {
        assertEquals(1, attemptsGivenTo(retryingIoFailures(Duration.ZERO), new IOException("timeout")));
    }

    @Test
    void anInterruptedBackoffStopsWithTheFailureAndKeepsTheInterrupt() {
        Thread.currentThread().interrupt();
        try {
            assertEquals(1, attemptsGivenTo(retryingIoFailures(BUDGET), new IOException("reset")));
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void connectTimeoutIsAThirdOfTheTimeoutButAtLeast200Milliseconds() {
        assertEquals(Duration.ofSeconds(1), S3RetryPolicy.connectTimeout(Duration.ofSeconds(3)));
        assertEquals(Duration.ofMillis(200), S3RetryPolicy.connectTimeout(Duration.ofMillis(300)));
        assertEquals(Duration.ofMillis(200), S3RetryPolicy.connectTimeout(Duration.ofMillis(600)));
    }
}
