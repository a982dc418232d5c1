package io.kache.core.remote.s3.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.testkit.s3.SilentServer;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Attempts, time budget and connect timeout of S3 calls. */
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

    /** A server that accepts and never answers: the attempt spent the budget waiting, another would double it. */
    @Test
    void anAttemptThatWaitedOutTheBudgetIsNotTriedAgain() throws Exception {
        Duration budget = Duration.ofMillis(300);
        AtomicInteger attempts = new AtomicInteger();
        try (SilentServer silent = SilentServer.start()) {
            assertThrows(SocketTimeoutException.class, () -> retryingIoFailures(budget).call("ListObjectsV2", () -> {
                attempts.incrementAndGet();
                try (Socket s = new Socket(silent.endpoint().getHost(), silent.endpoint().getPort())) {
                    s.setSoTimeout((int) budget.toMillis());
                    s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    return s.getInputStream().read();
                }
            }));
        }
        assertEquals(1, attempts.get());
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
