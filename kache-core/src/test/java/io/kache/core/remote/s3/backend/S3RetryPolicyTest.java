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

    @Test
    void aPersistentFailureCostsThreeAttemptsAndIsRethrownUnchanged() {
        AtomicInteger attempts = new AtomicInteger();
        IOException last = new IOException("still down");
        IOException thrown = assertThrows(IOException.class, () -> retryingIoFailures(BUDGET).call("HeadObject", () -> {
            attempts.incrementAndGet();
            throw last;
        }));
        assertSame(last, thrown);
        assertEquals(3, attempts.get());
        assertEquals(3, S3RetryPolicy.MAX_ATTEMPTS);
    }

    @Test
    void aPermanentFailureIsNotRetried() {
        AtomicInteger attempts = new AtomicInteger();
        assertThrows(IllegalStateException.class, () -> retryingIoFailures(BUDGET).call("PutObject", () -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("403");
        }));
        assertEquals(1, attempts.get());
    }

    @Test
    void noRetryWhenTheBackoffWouldExceedTheBudget() {
        AtomicInteger attempts = new AtomicInteger();
        assertThrows(IOException.class, () -> retryingIoFailures(Duration.ZERO).call("GetObject", () -> {
            attempts.incrementAndGet();
            throw new IOException("timeout");
        }));
        assertEquals(1, attempts.get());
    }

    @Test
    void anInterruptedBackoffStopsWithTheFailureAndKeepsTheInterrupt() {
        AtomicInteger attempts = new AtomicInteger();
        Thread.currentThread().interrupt();
        try {
            assertThrows(IOException.class, () -> retryingIoFailures(BUDGET).call("GetObject", () -> {
                attempts.incrementAndGet();
                throw new IOException("reset");
            }));
            assertTrue(Thread.currentThread().isInterrupted());
            assertEquals(1, attempts.get());
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
