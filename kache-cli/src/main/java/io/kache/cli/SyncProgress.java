package io.kache.cli;

import io.kache.api.StoreException;
import io.kache.core.config.ByteSize;
import io.kache.core.sync.Direction;
import io.kache.core.sync.SyncListener;
import io.kache.core.sync.SyncPlan;
import io.kache.core.sync.Transfer;
import io.kache.core.sync.TransferOutcome;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Progress of a running sync on stderr: on a terminal one line redrawn in place (at most ten
 * times a second); otherwise a plain line at every tenth of each direction, for CI logs. Failures
 * are counted here and listed once, in the summary.
 */
final class SyncProgress implements SyncListener {

    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter err;
    private final boolean terminal;
    private final Map<Direction, Integer> planned = new EnumMap<>(Direction.class);
    private final Map<Direction, Integer> finished = new EnumMap<>(Direction.class);
    private final Map<Direction, Integer> milestone = new EnumMap<>(Direction.class);
    private final long begin = System.nanoTime();
    private long bytes;
    private int failed;
    private int retries;
    private long lastDraw;

    private SyncProgress(PrintWriter err, SyncPlan plan, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
        planned.put(Direction.PULL, plan.pulls().size());
        planned.put(Direction.PUSH, plan.pushes().size());
        for (Direction d : Direction.values()) {
            finished.put(d, 0);
            milestone.put(d, 0);
        }
    }

    static SyncListener create(PrintWriter err, SyncPlan plan, boolean terminal) {
        return plan.all().isEmpty() ? SyncListener.NONE : new SyncProgress(err, plan, terminal);
    }

    @Override
    public synchronized void retrying(Transfer transfer, int failedAttempt, StoreException error, Duration wait) {
        retries++;
    }

    @Override
    public synchronized void finished(TransferOutcome outcome) {
        Direction d = outcome.transfer().direction();
        int done = finished.merge(d, 1, Integer::sum);
        bytes += outcome.bytes();
        if (outcome.status() == TransferOutcome.Status.FAILED) {
            failed++;
        }
        int total = planned.get(d);
        if (terminal) {
            long now = System.nanoTime();
            if (now - lastDraw >= REDRAW_NANOS || done == total) {
                lastDraw = now;
                err.print("\r" + line(d, done, total) + "   ");
                if (done == total) {
                    err.println();
                }
                err.flush();
            }
            return;
        }
        int tenth = (int) ((long) done * 10 / total);
        if (tenth > milestone.get(d)) {
            milestone.put(d, tenth);
            err.println("kache sync: " + line(d, done, total));
            err.flush();
        }
    }

    private String line(Direction d, int done, int total) {
        double seconds = Math.max(1e-3, (System.nanoTime() - begin) / 1e9);
        return String.format(Locale.ROOT, "%s %d/%d (%d%%), %s, %s/s%s%s", d.label(), done, total,
                (int) ((long) done * 100 / total), ByteSize.format(bytes), ByteSize.format((long) (bytes / seconds)),
                failed == 0 ? "" : ", " + failed + " failed", retries == 0 ? "" : ", " + retries + " retries");
    }
}
