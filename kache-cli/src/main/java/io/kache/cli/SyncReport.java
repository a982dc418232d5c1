package io.kache.cli;

import io.kache.core.config.ByteSize;
import io.kache.core.sync.Direction;
import io.kache.core.sync.SyncPlan;
import io.kache.core.sync.SyncResult;
import io.kache.core.sync.Transfer;
import io.kache.core.sync.TransferOutcome;
import io.kache.core.sync.TransferOutcome.Status;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The text output of {@code kache sync}: the plan of a dry run, notes, and the closing summary.
 * Results go to stdout; notes and failures that explain them to stderr.
 */
final class SyncReport {

    private final PrintWriter out;
    private final PrintWriter err;
    private final List<String> notes;

    SyncReport(PrintWriter out, PrintWriter err, List<String> notes) {
        this.out = out;
        this.err = err;
        this.notes = List.copyOf(notes);
    }

    /** Prints the notes to stderr, one line each. */
    void notes() {
        notes.forEach(n -> err.println("kache sync: note: " + n));
        err.flush();
    }

    /** {@code pull N, push M}, then one line per entry: direction, short key, crate. */
    String plan(SyncPlan plan) {
        notes();
        plan.listingFailures().forEach(f -> err.println("kache sync: " + f));
        err.flush();
        StringBuilder sb = new StringBuilder();
        sb.append("pull ").append(plan.pulls().size()).append(", push ").append(plan.pushes().size()).append('\n');
        for (Transfer t : plan.all()) {
            sb.append(t.direction().label()).append(' ').append(t.key().shortKey()).append(' ')
                    .append(t.key().crateName()).append('\n');
        }
        return sb.toString();
    }

    /**
     * One line per direction that ran ({@code --push} has no pull line), why the pull stopped at the
     * local store's cap if it did, the failures, then the
     * bytes moved in the command's wall time and the rate of the transfers. A crate whose remote
     * listing failed counts as failed in the line of the direction it was listed for (the pull's
     * when it ran).
     *
     * @param ran the directions this sync ran
     * @param wall the command's whole time, from before the project's crates were found
     */
    String summary(SyncResult result, Set<Direction> ran, Duration wall) {
        StringBuilder sb = new StringBuilder();
        Direction listedFor = ran.contains(Direction.PULL) ? Direction.PULL : Direction.PUSH;
        for (Direction d : Direction.values()) {
            if (!ran.contains(d)) {
                continue;
            }
            long failed = result.count(d, Status.FAILED) + (d == listedFor ? result.listingFailures().size() : 0);
            sb.append(String.format(Locale.ROOT, "%s: %d done (%s), %d skipped, %d failed%n",
                    d == Direction.PULL ? "pulled" : "pushed", result.count(d, Status.DONE),
                    ByteSize.format(result.bytes(d)), result.count(d, Status.SKIPPED), failed));
        }
        result.stoppedAtCap().ifPresent(why -> sb.append(why).append('\n'));
        for (String f : result.listingFailures()) {
            sb.append("failed: ").append(f).append('\n');
        }
        for (TransferOutcome o : result.failures()) {
            if (result.refusal(o.transfer().direction()).filter(o.detail()::equals).isPresent()) {
                sb.append("refused: ").append(o.detail()).append('\n');
            } else {
                sb.append("failed: ").append(o.transfer()).append(": ").append(o.detail()).append('\n');
            }
        }
        Duration shown = wall.compareTo(result.elapsed()) > 0 ? wall : result.elapsed();
        sb.append(String.format(Locale.ROOT, "%s in %.1f s (%s/s)%s%n", ByteSize.format(result.bytes()),
                shown.toMillis() / 1000.0, ByteSize.format((long) result.bytesPerSecond()),
                result.complete() ? "" : ", " + result.failureCount() + " failed"));
        return sb.toString();
    }
}
