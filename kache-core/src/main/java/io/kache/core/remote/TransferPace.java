package io.kache.core.remote;

import io.kache.core.config.ByteSize;
import io.kache.core.config.DurationValue;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How long a transfer under a deadline may go on: the deadline bounds waiting, not a transfer that
 * is making progress. A transfer is given up when
 * <ul>
 *   <li>no byte came within the deadline of its start: no answer;</li>
 *   <li>no byte came for the deadline since the last one: it stalled;</li>
 *   <li>once bytes have come for the deadline, they come slower than {@link #MIN_BYTES_PER_SECOND} on
 *       average: a trickle (one byte every two seconds never stalls) that would hold a build's call
 *       for minutes;</li>
 *   <li>it is not done {@link #CAP_IN_DEADLINES} deadlines after its start, however fast: the
 *       upper bound of any wait.</li>
 * </ul>
 * A large entry on a modest link (a megabyte at 200 KB/s) is not a hung remote: it ends normally.
 * Bytes are counted as the importer reads them from the remote's stream, on whatever thread.
 */
final class TransferPace {

    /** The slowest average a transfer may keep once it has run for its deadline: slower, compiling is the better bet. */
    static final long MIN_BYTES_PER_SECOND = 64 * 1024;
    /** No transfer outlives this many deadlines (30 s for the default 3 s). */
    static final int CAP_IN_DEADLINES = 10;

    private final Duration deadline;
    private final long deadlineNanos;
    private final long start;
    private final AtomicLong bytes = new AtomicLong();
    private volatile long firstByte;
    private volatile long lastByte;

    TransferPace(Duration deadline, long startNanos) {
        this.deadline = deadline;
        this.deadlineNanos = deadline.toNanos();
        this.start = startNanos;
    }

    /** {@code n} bytes came at {@code nanos}. */
    void received(long n, long nanos) {
        if (n <= 0) {
            return;
        }
        if (bytes.getAndAdd(n) == 0) {
            firstByte = nanos;
        }
        lastByte = nanos;
    }

    long bytes() {
        return bytes.get();
    }

    /** Why the transfer is to be given up at {@code now}, or empty while it may go on. */
    Optional<DeadlineExceededException> verdict(long now) {
        long got = bytes.get();
        if (got == 0) {
            return now - start >= deadlineNanos
                    ? Optional.of(new DeadlineExceededException(deadline, "no answer within " + format(deadline)))
                    : Optional.empty();
        }
        long first = firstByte;
        long last = lastByte;
        if (now - last >= deadlineNanos) {
            return Optional.of(new DeadlineExceededException(deadline, "stalled: no data for " + format(deadline)
                    + " after " + ByteSize.format(got)));
        }
        long flowing = now - first;
        if (flowing >= deadlineNanos && perSecond(got, flowing) < MIN_BYTES_PER_SECOND) {
            return Optional.of(new DeadlineExceededException(deadline, "too slow: " + kibPerSecond(got, flowing)
                    + " KiB/s after " + format(Duration.ofNanos(flowing).truncatedTo(java.time.temporal.ChronoUnit.MILLIS))
                    + " (at least " + MIN_BYTES_PER_SECOND / 1024 + " KiB/s is needed)"));
        }
        if (now - start >= deadlineNanos * CAP_IN_DEADLINES) {
            return Optional.of(new DeadlineExceededException(deadline, "too slow: " + kibPerSecond(got, flowing)
                    + " KiB/s, " + ByteSize.format(got) + " received and not done within "
                    + format(deadline.multipliedBy(CAP_IN_DEADLINES))));
        }
        return Optional.empty();
    }

    /** How long to wait before asking {@link #verdict} again: soon enough to keep each bound within a small fraction. */
    long pollNanos() {
        return Math.max(TimeUnit.MILLISECONDS.toNanos(10), Math.min(TimeUnit.MILLISECONDS.toNanos(200), deadlineNanos / 5));
    }

    private static long perSecond(long bytes, long nanos) {
        return nanos <= 0 ? Long.MAX_VALUE : (long) (bytes * 1e9 / nanos);
    }

    private static long kibPerSecond(long bytes, long nanos) {
        return perSecond(bytes, nanos) / 1024;
    }

    private static String format(Duration d) {
        return DurationValue.format(d);
    }
}
