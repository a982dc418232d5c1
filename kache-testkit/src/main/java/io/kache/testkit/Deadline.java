package io.kache.testkit;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition by polling until a deadline, instead of sleeping a guessed time. Polls
 * back off from 1 ms to 50 ms so a fast condition is seen at once and a slow one costs little CPU.
 */
public final class Deadline {

    private final long endNanos;
    private final Duration limit;

    private Deadline(Duration limit) {
        this.limit = limit;
        this.endNanos = System.nanoTime() + limit.toNanos();
    }

    /** A deadline {@code limit} from now. */
    public static Deadline in(Duration limit) {
        return new Deadline(limit);
    }

    public boolean expired() {
        return System.nanoTime() - endNanos >= 0;
    }

    /** Time left, never negative. */
    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, endNanos - System.nanoTime()));
    }

    /**
     * Polls {@code condition} until it holds.
     *
     * @throws AssertionError naming {@code what} if the deadline passes first
     * @throws InterruptedException if interrupted while waiting
     */
    public void await(String what, BooleanSupplier condition) throws InterruptedException {
        long pauseMillis = 1;
        while (!condition.getAsBoolean()) {
            if (expired()) {
                throw new AssertionError("timed out after " + limit.toMillis() + " ms waiting for " + what);
            }
            // A short park between polls keeps the loop from spinning a core; the deadline, not the
            // pause, bounds the wait.
            LockSupport.parkNanos(Math.min(Duration.ofMillis(pauseMillis).toNanos(), remaining().toNanos() + 1));
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for " + what);
            }
            pauseMillis = Math.min(50, pauseMillis * 2);
        }
    }
}
