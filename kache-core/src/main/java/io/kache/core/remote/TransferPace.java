package io.kache.core.remote;

import io.kache.api.ArtifactKey;
import io.kache.core.config.ByteSize;
import io.kache.core.config.DurationValue;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * How long a transfer under a deadline may go on: the deadline bounds waiting on the remote, not a
 * transfer that is making progress, nor this machine's own work. A transfer is given up as the
 * remote's failure ({@link DeadlineExceededException}) when, in the remote's time,
 * <ul>
 *   <li>no byte came within the deadline of its start: no answer;</li>
 *   <li>no byte came for the deadline since the last one: it stalled;</li>
 *   <li>once bytes have come for the deadline, they come slower than {@link #MIN_BYTES_PER_SECOND} on
 *       average: a trickle (one byte every two seconds never stalls) that would hold a build's call
 *       for minutes;</li>
 *   <li>it is not done after {@link #CAP_IN_DEADLINES} deadlines of it, however fast.</li>
 * </ul>
 * The remote's time is all but the importer's own work between two reads of the remote's stream:
 * waiting for the store's lock while a collection runs, decompressing, hashing, writing on a busy
 * disk. That work is this machine's; counted, it had a remote that answered at once blamed for
 * "no answer" and silenced for every build on the machine. A transfer is given up as this machine's
 * failure ({@link LocalImportException}) only when it is not done {@link #WALL_CAP_IN_DEADLINES}
 * deadlines after its start.
 *
 * <p>A large entry on a modest link (a megabyte at 200 KB/s) is not a hung remote: it ends normally.
 * The remote's stream is read on whatever thread unpacks it and the verdict asked on the thread that
 * waits, so the state is guarded by this object's lock.
 */
final class TransferPace {

    /** The slowest average a transfer may keep once it has run for its deadline: slower, compiling is the better bet. */
    static final long MIN_BYTES_PER_SECOND = 64 * 1024;
    /** No transfer waits on the remote for more than this many deadlines (30 s for the default 3 s). */
    static final int CAP_IN_DEADLINES = 10;
    /**
     * No transfer outlasts this many deadlines from its start, whoever's time it was (60 s for the
     * default 3 s), so one whose local side hangs (a lock never released, a disk that stopped) still
     * ends and its call compiles. Twice the remote's cap, not the same: at the same cap a transfer
     * that had spent a few milliseconds unpacking would always end there first, and the blame would
     * have to be guessed. Past twice, this machine's own work took at least as long as the remote is
     * allowed in all: it is this machine's failure. A call that waits this long for its own store
     * would have waited as long to store what it compiles.
     */
    static final int WALL_CAP_IN_DEADLINES = 2 * CAP_IN_DEADLINES;

    private static final long NOT_LOCAL = Long.MIN_VALUE;

    private final ArtifactKey key;
    private final Duration deadline;
    private final long deadlineNanos;
    private final long start;
    private long bytes;
    /** When the first and the latest bytes came, in the remote's time since the start. */
    private long firstByte;
    private long lastByte;
    /** This machine's own work that has ended, in nanoseconds. */
    private long localNanos;
    /** When the local work under way began; {@link #NOT_LOCAL} while the transfer waits on the remote. */
    private long localSince = NOT_LOCAL;

    TransferPace(ArtifactKey key, Duration deadline, long startNanos) {
        this.key = key;
        this.deadline = deadline;
        this.deadlineNanos = deadline.toNanos();
        this.start = startNanos;
    }

    /** From {@code nanos} on the transfer does its own work, not waiting on the remote; while it does already, nothing changes. */
    synchronized void localWorkBegins(long nanos) {
        if (localSince == NOT_LOCAL) {
            localSince = nanos;
        }
    }

    /** From {@code nanos} on the transfer waits on the remote again (a read of its stream begins); while it does already, nothing changes. */
    synchronized void localWorkEnds(long nanos) {
        if (localSince != NOT_LOCAL) {
            localNanos += Math.max(0, nanos - localSince);
            localSince = NOT_LOCAL;
        }
    }

    /** {@code n} bytes came at {@code nanos}. */
    synchronized void received(long n, long nanos) {
        if (n <= 0) {
            return;
        }
        long at = remoteNanos(nanos);
        if (bytes == 0) {
            firstByte = at;
        }
        bytes += n;
        lastByte = at;
    }

    /**
     * Why the transfer is to be given up at {@code now}, or empty while it may go on: a
     * {@link DeadlineExceededException} when the remote is to blame, a {@link LocalImportException}
     * when this machine is.
     */
    synchronized Optional<IOException> verdict(long now) {
        long waited = remoteNanos(now);
        if (bytes == 0) {
            if (waited >= deadlineNanos) {
                return remotes("no answer within " + format(deadline), now);
            }
            return overall(now, waited);
        }
        if (waited - lastByte >= deadlineNanos) {
            return remotes("stalled: no data for " + format(deadline) + " after " + ByteSize.format(bytes), now);
        }
        long flowing = waited - firstByte;
        if (flowing >= deadlineNanos && perSecond(bytes, flowing) < MIN_BYTES_PER_SECOND) {
            return remotes("too slow: " + kibPerSecond(bytes, flowing) + " KiB/s after " + format(flowing)
                    + " (at least " + MIN_BYTES_PER_SECOND / 1024 + " KiB/s is needed)", now);
        }
        if (waited >= deadlineNanos * CAP_IN_DEADLINES) {
            return remotes("too slow: " + kibPerSecond(bytes, flowing) + " KiB/s, " + ByteSize.format(bytes)
                    + " received and not done within " + format(deadline.multipliedBy(CAP_IN_DEADLINES)), now);
        }
        return overall(now, waited);
    }

    /** The bound on the whole: reached only when this machine's work kept the transfer from ending. */
    private Optional<IOException> overall(long now, long waited) {
        if (now - start < deadlineNanos * WALL_CAP_IN_DEADLINES) {
            return Optional.empty();
        }
        return Optional.of(new LocalImportException(key, new IOException("still importing "
                + format(deadline.multipliedBy(WALL_CAP_IN_DEADLINES)) + " after the fetch began, of which only "
                + format(waited) + " was spent waiting on the remote; this machine's store or disk held it up"
                + " (its lock held by a collection or another process, a busy disk)")));
    }

    private Optional<IOException> remotes(String why, long now) {
        long local = now - start - remoteNanos(now);
        // The call waited longer than the message says: once by a deadline or more, say that this
        // machine took the rest, lest the remote look slower than it was.
        String besides = local >= deadlineNanos ? " (besides " + format(local) + " of this machine's own work)" : "";
        return Optional.of(new DeadlineExceededException(deadline, why + besides));
    }

    /** Time since the start not spent on this machine's own work, at {@code now}. */
    private long remoteNanos(long now) {
        long local = localNanos + (localSince == NOT_LOCAL ? 0 : Math.max(0, now - localSince));
        return Math.max(0, now - start - local);
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

    private static String format(long nanos) {
        return format(Duration.ofMillis(TimeUnit.NANOSECONDS.toMillis(nanos)));
    }

    private static String format(Duration d) {
        return DurationValue.format(d);
    }
}
