package io.kache.core.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Polls for an OS file lock until a deadline. Polling rather than a blocking {@code lock()}
 * because a blocked {@code lock()} cannot time out. The OS drops a dead process's locks, so a
 * crashed holder never leaves a stale lock behind.
 */
final class FileLocking {

    private FileLocking() {
    }

    /** Nanosecond deadline {@code wait} from now, saturating. */
    static long deadline(Duration wait) {
        long now = System.nanoTime();
        long w = wait.isNegative() ? 0 : wait.compareTo(Duration.ofDays(365)) > 0 ? TimeUnit.DAYS.toNanos(365)
                : wait.toNanos();
        return now + w;
    }

    /** Tries until {@code deadline}; empty on timeout. */
    static Optional<FileLock> lock(FileChannel channel, boolean shared, long deadline) throws IOException {
        long pause = 1;
        while (true) {
            FileLock lock = channel.tryLock(0, Long.MAX_VALUE, shared);
            if (lock != null) {
                return Optional.of(lock);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            pauseMillis(Math.min(pause, TimeUnit.NANOSECONDS.toMillis(left) + 1));
            pause = Math.min(pause * 2, 25);
        }
    }

    /** Waits for a JVM-local permit until {@code deadline}. */
    static boolean acquire(java.util.concurrent.Semaphore mutex, long deadline) throws IOException {
        try {
            return mutex.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for a lock");
        }
    }

    private static void pauseMillis(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for a lock");
        }
    }
}
