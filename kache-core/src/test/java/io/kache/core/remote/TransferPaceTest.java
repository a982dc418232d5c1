package io.kache.core.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The pace of one fetch under a 3 s deadline, on a clock the test moves: the remote is judged on the
 * time spent waiting on it, never on the importer's own work between reads.
 */
class TransferPaceTest {

    private static final ArtifactKey KEY = new ArtifactKey("serde", "a".repeat(64));
    /** Any origin: {@code System.nanoTime()}'s is arbitrary. */
    private static final long START = TimeUnit.SECONDS.toNanos(5_000);

    private final TransferPace pace = new TransferPace(KEY, Duration.ofSeconds(3), START);
    /** The test's clock, in milliseconds since the start. */
    private long now;

    @Test
    void noAnswerAtAllIsGivenUpAtTheDeadline() {
        later(2_999);
        assertGoesOn();
        later(1);
        assertEquals("no answer within 3s", remoteBlamed().getMessage());
    }

    @Test
    void aConsumerBusyLongerThanTheDeadlineBetweenPromptReadsIsNotGivenUp() {
        remoteAnswersAfter(100);
        later(4_000); // the store's lock, held by a collection in another process
        assertGoesOn(); // polled while the wait goes on: 4.1 s since the start, 0.1 s of it the remote's
        readReturns(50, 64 * 1024);
        later(5_000); // decompressing and writing on a busy disk
        assertGoesOn();
        readReturns(50, 64 * 1024);
        readReturns(10, -1);
        later(8_000); // publishing, and an eviction inline
        assertGoesOn();
    }

    /** Reads that come at 80 KiB/s, each followed by a second of the consumer's own work: not a trickle. */
    @Test
    void theFloorOnThePaceIsTheRemotesNotTheConsumers() {
        remoteAnswersAfter(100);
        for (int i = 0; i < 40; i++) {
            readReturns(100, 8 * 1024);
            later(1_000);
            assertGoesOn();
        }
    }

    @Test
    void aRemoteThatStallsInsideAReadIsGivenUpAfterTheDeadlineOfItsOwnTime() {
        remoteAnswersAfter(100);
        later(1_000);
        readReturns(100, 64 * 1024);
        later(2_000);
        readBlocks();
        later(2_999);
        assertGoesOn(); // 5 s since the last byte, 2.999 s of it the remote's
        later(1);
        DeadlineExceededException e = remoteBlamed();
        assertTrue(e.getMessage().startsWith("stalled: no data for 3s after 64.0 KiB"), e.getMessage());
        assertTrue(e.getMessage().endsWith(" (besides 3s of this machine's own work)"), e.getMessage());
    }

    @Test
    void aRemoteThatAnswersAndThenSendsNothingIsGivenUpAsNoAnswerOnItsOwnTime() {
        remoteAnswersAfter(500);
        later(4_500);
        readBlocks();
        later(2_499);
        assertGoesOn();
        later(1);
        assertEquals("no answer within 3s (besides 4500ms of this machine's own work)", remoteBlamed().getMessage());
    }

    @Test
    void aTrickleFromTheRemoteIsStillTooSlowHoweverBusyTheConsumer() {
        remoteAnswersAfter(100);
        Optional<IOException> verdict = Optional.empty();
        while (verdict.isEmpty() && now < 60_000) {
            readReturns(200, 8 * 1024); // 40 KiB/s
            later(500);
            verdict = pace.verdict(nanos());
        }
        DeadlineExceededException e = assertInstanceOf(DeadlineExceededException.class, verdict.orElseThrow());
        assertTrue(e.getMessage().startsWith("too slow: 42 KiB/s after 3s "), e.getMessage());
    }

    @Test
    void aRemoteIsCappedAtTenDeadlinesOfItsOwnTime() {
        remoteAnswersAfter(100);
        Optional<IOException> verdict = Optional.empty();
        while (verdict.isEmpty() && now < 60_000) {
            readReturns(100, 1024 * 1024);
            later(50);
            verdict = pace.verdict(nanos());
        }
        DeadlineExceededException e = assertInstanceOf(DeadlineExceededException.class, verdict.orElseThrow());
        assertTrue(e.getMessage().startsWith("too slow: ") && e.getMessage().contains(" not done within 30s"),
                e.getMessage());
        assertTrue(now >= 30_000 && now < 46_000, "at thirty seconds of the remote's time: " + now + " ms");
    }

    /** Whatever holds this machine up, the fetch ends: at twenty deadlines, as this machine's failure. */
    @Test
    void aFetchItsOwnSideHoldsUpForTwentyDeadlinesIsThisMachinesFailure() {
        remoteAnswersAfter(100);
        later(59_899);
        assertGoesOn();
        later(1);
        LocalImportException e = assertInstanceOf(LocalImportException.class, pace.verdict(nanos()).orElseThrow());
        assertEquals(KEY, e.key());
        assertTrue(e.getMessage().startsWith("the local store could not take it: still importing 1m after the fetch"
                + " began, of which only 100ms was spent waiting on the remote; "), e.getMessage());
    }

    /** The remote takes {@code millis} to answer; then its stream is the importer's, not yet read. */
    private void remoteAnswersAfter(long millis) {
        later(millis);
        pace.localWorkBegins(nanos());
    }

    /** A read of the remote's stream takes {@code millis} and returns {@code bytes}; the importer's own work follows. */
    private void readReturns(long millis, long bytes) {
        pace.localWorkEnds(nanos());
        later(millis);
        pace.received(bytes, nanos());
        pace.localWorkBegins(nanos());
    }

    /** A read of the remote's stream begins and does not return while the test looks. */
    private void readBlocks() {
        pace.localWorkEnds(nanos());
    }

    private void later(long millis) {
        now += millis;
    }

    private long nanos() {
        return START + TimeUnit.MILLISECONDS.toNanos(now);
    }

    private void assertGoesOn() {
        assertEquals(Optional.empty(), pace.verdict(nanos()).map(Throwable::getMessage), "at " + now + " ms");
    }

    private DeadlineExceededException remoteBlamed() {
        return assertInstanceOf(DeadlineExceededException.class, pace.verdict(nanos()).orElseThrow());
    }
}
