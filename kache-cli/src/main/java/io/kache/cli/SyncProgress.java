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
    private static final String CLEAR_TO_END = "\u001b[K";

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

    private SyncProgress(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
        for (Direction d : Direction.values()) {
            finished.put(d, 0);
            milestone.put(d, 0);
        }
    }

    /** Totals come with {@link #planned}; pulls finished before it (while crates are still listed) are counted. */
    static SyncListener create(PrintWriter err, boolean terminal) {
        return new SyncProgress(err, terminal);
    }

    @Override
    public synchronized void planned(SyncPlan plan) {
        planned.put(Direction.PULL, plan.pulls().size());
        planned.put(Direction.PUSH, plan.pushes().size());
        // Pulls that finished while the listing ran were not shown against a total: show them now.
        if (finished.get(Direction.PULL) > 0) {
            show(Direction.PULL, true);
        }
    }

    @Override
    public synchronized void retrying(Transfer transfer, int failedAttempt, StoreException error, Duration wait) {
        retries++;
    }

    @Override
    public synchronized void finished(TransferOutcome outcome) {
        Direction d = outcome.transfer().direction();
        finished.merge(d, 1, Integer::sum);
        bytes += outcome.bytes();
        if (outcome.status() == TransferOutcome.Status.FAILED) {
            failed++;
        }
        show(d, false);
    }

    private void show(Direction d, boolean force) {
        int done = finished.get(d);
        Integer total = planned.get(d);
        if (terminal) {
            long now = System.nanoTime();
            boolean last = total != null && done == total;
            if (force || last || now - lastDraw >= REDRAW_NANOS) {
                lastDraw = now;
                // Clear to the end of the line: a redrawn line may be shorter than the one before.
                err.print("\r" + line(d, done, total) + CLEAR_TO_END);
                if (last) {
                    err.println();
                }
                err.flush();
            }
            return;
        }
        if (total == null) {
            return;
        }
        int tenth = (int) ((long) done * 10 / total);
        if (tenth > milestone.get(d)) {
            milestone.put(d, tenth);
            err.println("kache sync: " + line(d, done, total));
            err.flush();
        }
    }

    /** {@code total} is null while crates are still being listed. */
    private String line(Direction d, int done, Integer total) {
        double seconds = Math.max(1e-3, (System.nanoTime() - begin) / 1e9);
        String count = total == null ? done + " (listing crates)"
                : String.format(Locale.ROOT, "%d/%d (%d%%)", done, total, (int) ((long) done * 100 / total));
        return String.format(Locale.ROOT, "%s %s, %s, %s/s%s%s", d.label(), count,
                ByteSize.format(bytes), ByteSize.format((long) (bytes / seconds)),
                failed == 0 ? "" : ", " + failed + " failed", retries == 0 ? "" : ", " + retries + " retries");
    }
}
