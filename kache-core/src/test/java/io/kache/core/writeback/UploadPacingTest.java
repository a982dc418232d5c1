package io.kache.core.writeback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kache.core.writeback.UploadPacing.Step;
import io.kache.core.writeback.UploadPacing.View;
import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** When the write-back sends, waits and exits: uploads never begin while a build uses the store, and always begin in bounded time. */
class UploadPacingTest {

    private static final UploadPacing P = UploadPacing.DEFAULT; // quiet 2 s, max defer 60 s, linger 5 s
    private static final long T = 1_000_000;

    @Test
    void waitsWhileTheBuildIsActiveAndSendsOnceItIsQuiet() {
        View queued = new View(3, T, T, T);
        assertEquals(Step.WAIT, P.next(T + 1_999, queued));
        assertEquals(Step.SEND, P.next(T + 2_000, queued));
    }

    @Test
    void sendsAnEntryThatWaitedTheLongestDeferralEvenDuringABuild() {
        long now = T + 60_000;
        assertEquals(Step.WAIT, P.next(now - 1, new View(1, T, now - 10, T)));
        assertEquals(Step.SEND, P.next(now, new View(1, T, now - 10, T)));
    }

    @Test
    void withNothingQueuedItStaysWhileTheBuildGoesOnAndExitsAfterTheLinger() {
        assertEquals(Step.WAIT, P.next(T + 4_999, new View(0, 0, T, T - 10_000)));
        assertEquals(Step.WAIT, P.next(T + 4_999, new View(0, 0, T - 10_000, T)), "it just sent something");
        assertEquals(Step.EXIT, P.next(T + 5_000, new View(0, 0, T, T)));
    }

    @Test
    void theBoundAfterTheBuildIsQuietPlusOnePoll() {
        assertEquals(Duration.ofMillis(2_250), P.boundAfterBuild());
    }

    @Test
    void negativeDurationsAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new UploadPacing(Duration.ofSeconds(-1), Duration.ZERO, Duration.ZERO, Duration.ZERO));
    }

    /** Nothing is sent while the store was used within the quiet time and the oldest entry is younger than the deferral. */
    @Property
    void neverSendsBesideAnActiveBuild(@ForAll @IntRange(min = 1, max = 1000) int queued,
                                       @ForAll @LongRange(min = 0, max = 1_999) long sinceActivity,
                                       @ForAll @LongRange(min = 0, max = 59_999) long sinceOldest) {
        long now = T + 100_000;
        assertEquals(Step.WAIT, P.next(now, new View(queued, now - sinceOldest, now - sinceActivity, now)));
    }

    /** Something queued is sent once the store is quiet or the entry waited long enough, whatever else holds. */
    @Property
    void alwaysSendsWithinTheBound(@ForAll @IntRange(min = 1, max = 1000) int queued,
                                   @ForAll @LongRange(min = 0, max = 200_000) long sinceActivity,
                                   @ForAll @LongRange(min = 0, max = 200_000) long sinceOldest,
                                   @ForAll @LongRange(min = 0, max = 200_000) long sinceBusy) {
        long now = T + 1_000_000;
        Step step = P.next(now, new View(queued, now - sinceOldest, now - sinceActivity, now - sinceBusy));
        assertEquals(sinceActivity >= 2_000 || sinceOldest >= 60_000 ? Step.SEND : Step.WAIT, step);
    }
}
