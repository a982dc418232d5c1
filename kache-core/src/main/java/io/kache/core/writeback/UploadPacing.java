package io.kache.core.writeback;

import java.time.Duration;
import java.util.Objects;

/**
 * When the write-back sends. A cold build keeps every core busy; an upload beside it (pack,
 * compress, send) would slow it down. So the uploader sends only once the store has been quiet
 * for {@link #quiet}: no rustc call began (hit, miss or passthrough) and no entry was queued. A
 * build that never pauses that long still gets its entries sent once the oldest has waited
 * {@link #maxDefer}, at the uploader's low priority. With nothing queued, the uploader stays while
 * the build goes on (a new uploader would cost the build a JVM start) and leaves once nothing has
 * happened for {@link #linger}.
 *
 * <p>So an entry reaches the remote at most {@code quiet + poll} after the build's last rustc call
 * began or ended, plus the time to send the entries queued before it; during a build that never
 * pauses, at most {@code maxDefer + poll} after it was queued, plus the same.
 *
 * @param quiet how long the store must be quiet before anything is sent
 * @param maxDefer the longest an entry waits for quiet
 * @param linger how long an uploader with nothing to send waits for more before it exits
 * @param poll how often the queue and the store's activity are looked at while waiting
 */
public record UploadPacing(Duration quiet, Duration maxDefer, Duration linger, Duration poll) {

    /** What the uploader runs with. */
    public static final UploadPacing DEFAULT = new UploadPacing(Duration.ofSeconds(2), Duration.ofSeconds(60),
            Duration.ofSeconds(5), Duration.ofMillis(250));

    public UploadPacing {
        Objects.requireNonNull(quiet, "quiet");
        Objects.requireNonNull(maxDefer, "maxDefer");
        Objects.requireNonNull(linger, "linger");
        Objects.requireNonNull(poll, "poll");
        if (quiet.isNegative() || maxDefer.isNegative() || linger.isNegative() || poll.isNegative()) {
            throw new IllegalArgumentException("upload pacing durations must not be negative");
        }
    }

    /**
     * What the uploader sees when it decides.
     *
     * @param queued entries waiting
     * @param oldestQueuedMillis when the oldest waiting entry was queued (ignored when none is)
     * @param lastActivityMillis when a build last used the store (a rustc call or a queued entry)
     * @param lastBusyMillis when the uploader last had something to send, or started
     */
    public record View(int queued, long oldestQueuedMillis, long lastActivityMillis, long lastBusyMillis) {
    }

    /** What to do next. */
    public enum Step {
        /** Send the queue, one entry at a time, deciding again after each. */
        SEND,
        /** Look again after {@link #poll}. */
        WAIT,
        /** Nothing to send and nothing going on: exit. */
        EXIT
    }

    public Step next(long nowMillis, View v) {
        long sinceActivity = nowMillis - v.lastActivityMillis();
        if (v.queued() == 0) {
            long sinceAnything = nowMillis - Math.max(v.lastActivityMillis(), v.lastBusyMillis());
            return sinceAnything >= linger.toMillis() ? Step.EXIT : Step.WAIT;
        }
        if (sinceActivity >= quiet.toMillis() || nowMillis - v.oldestQueuedMillis() >= maxDefer.toMillis()) {
            return Step.SEND;
        }
        return Step.WAIT;
    }

    /** The longest an entry queued when the build's last rustc call ended waits before its upload begins, besides the entries ahead of it. */
    public Duration boundAfterBuild() {
        return quiet.plus(poll);
    }
}
