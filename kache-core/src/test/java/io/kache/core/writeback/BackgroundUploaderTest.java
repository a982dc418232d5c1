package io.kache.core.writeback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactSource;
import io.kache.api.ArtifactStore;
import io.kache.api.EntryRejectedException;
import io.kache.api.ForwardingArtifactStore;
import io.kache.api.RemoteSettings;
import io.kache.api.StoreAccessDeniedException;
import io.kache.api.StoreException;
import io.kache.core.entry.OutputFile;
import io.kache.core.remote.RemoteDestination;
import io.kache.core.store.LocalStore;
import io.kache.core.store.PendingUploads;
import io.kache.testkit.InMemoryArtifactStore;
import java.io.IOException;
import java.nio.file.Files;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The write-back drains the queue of entries compiled here into the remote, and stops where it must. */
class BackgroundUploaderTest {

    /** Sends at once and exits when the queue is empty: the pacing itself is tested below and in {@link UploadPacingTest}. */
    private static final UploadPacing AT_ONCE = new UploadPacing(Duration.ZERO, Duration.ZERO, Duration.ZERO,
            Duration.ofMillis(10));

    /** The remote the uploader under test sends to. */
    static final RemoteDestination HERE = RemoteDestination.of(RemoteSettings.filesystem(Path.of("/shared/here")));

    @TempDir
    Path temp;
    LocalStore store;
    PendingUploads queue;
    InMemoryArtifactStore remote = new InMemoryArtifactStore();

    @BeforeEach
    void setUp() throws IOException {
        store = LocalStore.open(temp.resolve("store"), 1L << 30);
        queue = store.pendingUploads();
    }

    @AfterEach
    void close() throws IOException {
        store.close();
    }

    @Test
    void queuedEntriesAreSentAndLeaveTheQueueAndNoStagedPack() throws Exception {
        ArtifactKey a = put("serde", "a");
        ArtifactKey b = put("rand", "b");
        queue.add(a, HERE);
        queue.add(b, HERE);
        ArtifactKey there = put("log", "c");
        remote.store(there, ArtifactSource.ofBytes(new byte[] {1}));
        queue.add(there, HERE);

        Set<ArtifactKey> reached = BackgroundUploader.drain(queue, HERE, store, remote, 3, AT_ONCE,
                BackgroundUploader.Clock.SYSTEM);

        assertTrue(remote.contains(a));
        assertTrue(remote.contains(b));
        assertEquals(Set.of(a, b, there), reached, "sent, or found there: the build record asks no HEAD of them");
        assertEquals(List.of(), queue.list());
        try (Stream<Path> left = Files.list(temp.resolve("store/tmp"))) {
            assertEquals(List.of(), left.toList(), "the staged packs are deleted");
        }
    }

    @Test
    void entriesQueuedForAnotherRemoteOrByAnOlderKacheAreNeitherSentNorTakenOffTheQueue() throws Exception {
        // Two projects share the store: B's remote is another directory, and B's entry must never
        // reach this uploader's remote (another team's), nor leave B's queue.
        RemoteDestination elsewhere = RemoteDestination.of(RemoteSettings.filesystem(Path.of("/shared/elsewhere")));
        ArtifactKey mine = put("proj_a", "a");
        ArtifactKey theirs = put("proj_b", "b");
        ArtifactKey legacy = put("proj_c", "c");
        queue.add(mine, HERE);
        queue.add(theirs, elsewhere);
        Files.createFile(temp.resolve("store/pending/proj_c." + legacy.cacheKey())); // an older kache's marker

        BackgroundUploader.drain(queue, HERE, store, remote, 3, AT_ONCE, BackgroundUploader.Clock.SYSTEM);

        assertTrue(remote.contains(mine));
        assertFalse(remote.contains(theirs), "another project's entry stays out of this remote");
        assertFalse(remote.contains(legacy), "a marker naming no remote is sent to none");
        assertEquals(Set.of(theirs), Set.copyOf(queue.list(elsewhere)), "still queued for its own remote");
        assertEquals(Set.of(theirs, legacy), Set.copyOf(queue.list()));
    }

    @Test
    void theSameEntryQueuedByTwoProjectsIsQueuedForEachRemote() throws Exception {
        RemoteDestination elsewhere = RemoteDestination.of(RemoteSettings.filesystem(Path.of("/shared/elsewhere")));
        ArtifactKey both = put("serde", "a");
        queue.add(both, elsewhere);
        queue.add(both, HERE);

        BackgroundUploader.drain(queue, HERE, store, remote, 3, AT_ONCE, BackgroundUploader.Clock.SYSTEM);

        assertTrue(remote.contains(both));
        assertEquals(List.of(both), queue.list(elsewhere));
        assertEquals(List.of(), queue.list(HERE));
    }

    @Test
    void anEntryNoLongerInTheLocalStoreLeavesTheQueueUnsent() throws Exception {
        ArtifactKey gone = new ArtifactKey("serde", "f".repeat(64));
        queue.add(gone, HERE);

        Set<ArtifactKey> reached = BackgroundUploader.drain(queue, HERE, store, remote, 3, AT_ONCE,
                BackgroundUploader.Clock.SYSTEM);

        assertFalse(remote.contains(gone));
        assertEquals(Set.of(), reached, "not sent: a build record must ask the remote about it");
        assertEquals(List.of(), queue.list());
    }

    @Test
    void accessDeniedStopsTheWriteBackAndKeepsTheQueueForSync() throws Exception {
        ArtifactKey a = put("serde", "a");
        queue.add(a, HERE);

        BackgroundUploader.drain(queue, HERE, store, new Denying(remote), 3, AT_ONCE, BackgroundUploader.Clock.SYSTEM);

        assertFalse(remote.contains(a));
        assertEquals(Set.of(a), Set.copyOf(queue.list()), "kache sync --push sends it later");
        // Recorded where the next build reads it (RemoteHealth), not only in the uploader's log.
        Path refused = temp.resolve("store/remote-unavailable/" + HERE.id() + ".refused");
        assertTrue(Files.readString(refused).contains("PutObject"), "the refusal and why");

        BackgroundUploader.drain(queue, HERE, store, remote, 3, AT_ONCE, BackgroundUploader.Clock.SYSTEM);
        assertTrue(remote.contains(a));
        assertFalse(Files.exists(refused), "an upload that goes through ends the refusal");
    }

    /**
     * A PUT the endpoint (or a proxy before it) rejects with a 4xx other than 401/403, mapped as the S3
     * backends map it: a setting the user can fix; or an answer about one object that every entry gets
     * ({@code XAmzContentSHA256Mismatch} from a server that takes no checksum trailers), which two
     * rejections in a row tell from one entry's. Every entry stays queued, those queued before
     * included, the rejection is recorded for the next build and kache stats, and once the remote
     * takes uploads again everything goes.
     */
    @Test
    void aRejectedUploadStopsTheWriteBackKeepsEveryQueuedEntryAndIsRecorded() throws Exception {
        ArtifactKey before = put("serde", "a");
        ArtifactKey b = put("rand", "b");
        ArtifactKey c = put("syn", "c");
        queue.add(before, HERE);
        queue.add(b, HERE);
        queue.add(c, HERE);
        io.kache.core.remote.s3.backend.S3ErrorMapper mapper =
                new io.kache.core.remote.s3.backend.S3ErrorMapper("build-cache", "artifacts", "http://127.0.0.1:9000");
        List<StoreException> answers = List.of(
                mapper.response(new io.kache.core.remote.s3.backend.S3ErrorResponse(400, "XAmzContentSHA256Mismatch",
                        "req-1"), "PutObject", "artifacts/serde/x.tar.zst", null),
                mapper.response(new io.kache.core.remote.s3.backend.S3ErrorResponse(404, "NoSuchBucket", "req-2"),
                        "PutObject", "artifacts/serde/x.tar.zst", null));
        assertInstanceOf(EntryRejectedException.class, answers.get(0));
        for (StoreException answer : answers) {
            BackgroundUploader.drain(queue, HERE, store, new Rejecting(remote, answer), 3, AT_ONCE,
                    BackgroundUploader.Clock.SYSTEM);

            assertEquals(Set.of(before, b, c), Set.copyOf(queue.list(HERE)), "nothing leaves the queue: " + answer);
            assertEquals(List.of(), remote.listAll().toList());
            io.kache.core.store.RemoteHealth.Refusal refusal = store.remoteHealth(HERE).writeRefused().orElseThrow();
            assertTrue(refusal.rejected(), "rejected, not access denied: " + refusal);
            assertEquals(answer.getMessage(), refusal.why());
            assertFalse(store.remoteHealth(HERE).recentlyFailed(), "reads still go to the remote");
        }

        BackgroundUploader.drain(queue, HERE, store, remote, 3, AT_ONCE, BackgroundUploader.Clock.SYSTEM);
        assertEquals(List.of(), queue.list(HERE), "fixed: everything queued is sent");
        assertTrue(remote.contains(before) && remote.contains(b) && remote.contains(c));
        assertEquals(Optional.empty(), store.remoteHealth(HERE).writeRefused(), "an upload that goes through ends it");
    }

    /**
     * An entry the remote rejects alone (a proxy's body-size limit: S3's {@code EntityTooLarge}, or
     * a proxy's bare 413) stays queued and the others go on: it stopped the uploader at the head of
     * the queue on every run, so nothing after it was ever sent (found by review). Nothing is
     * recorded against the remote.
     */
    @ParameterizedTest
    @CsvSource({"400, EntityTooLarge", "413, ''"})
    void anEntryRejectedAloneStaysQueuedAndTheOthersAreSent(int status, String code) throws Exception {
        for (ArtifactKey k : List.of(put("serde", "a"), put("rand", "b"), put("syn", "c"))) {
            queue.add(k, HERE);
        }
        // The one the uploader takes first: at the head of the queue it held up the rest.
        List<ArtifactKey> queued = queue.snapshot(HERE).keys();
        ArtifactKey big = queued.get(0);
        ArtifactKey b = queued.get(1);
        ArtifactKey c = queued.get(2);
        StoreException tooLarge = new io.kache.core.remote.s3.backend.S3ErrorMapper("build-cache", "artifacts",
                "http://127.0.0.1:9000").response(new io.kache.core.remote.s3.backend.S3ErrorResponse(status,
                code, "req-1"), "PutObject", "artifacts/serde/x.tar.zst", null);
        assertInstanceOf(EntryRejectedException.class, tooLarge);

        BackgroundUploader.drain(queue, HERE, store, new Rejecting(remote, tooLarge, big::equals), 3, AT_ONCE,
                BackgroundUploader.Clock.SYSTEM);

        assertTrue(remote.contains(b) && remote.contains(c), "the others are sent");
        assertEquals(List.of(big), queue.list(HERE), "the rejected entry stays queued for sync --push");
        assertEquals(Optional.empty(), store.remoteHealth(HERE).writeRefused(), "not the remote's rejection");
    }

    @Test
    void nothingIsSentWhileTheBuildUsesTheStoreAndAllOnceItIsQuiet() throws Exception {
        ArtifactKey a = put("serde", "a");
        ArtifactKey b = put("rand", "b");
        queue.add(a, HERE);
        queue.add(b, HERE);
        store.recordMiss(); // a rustc call began: the build is running
        long lastActivity = queue.snapshot(HERE).lastActivityMillis();
        UploadPacing pacing = new UploadPacing(Duration.ofSeconds(2), Duration.ofSeconds(60), Duration.ofSeconds(5),
                Duration.ofMillis(250));
        FakeClock clock = new FakeClock(lastActivity);
        List<Long> sentAt = new ArrayList<>();
        ArtifactStore timed = new Recording(remote, () -> sentAt.add(clock.now));

        BackgroundUploader.drain(queue, HERE, store, timed, 3, pacing, clock);

        assertTrue(remote.contains(a) && remote.contains(b));
        assertEquals(2, sentAt.size());
        for (long t : sentAt) {
            assertTrue(t - lastActivity >= 2000, "sent " + (t - lastActivity) + " ms after the build's last call");
            assertTrue(t - lastActivity <= 2000 + 250, "sent within quiet + poll of the build's last call");
        }
        assertTrue(clock.now - sentAt.get(1) >= 5000, "it lingered for more before exiting");
    }

    @Test
    void theRemoteIsOpenedOnlyWhenTheFirstEntryIsSentAndNotAtAllForAnEmptyQueue() throws Exception {
        ArtifactKey a = put("serde", "a");
        queue.add(a, HERE);
        long lastActivity = queue.snapshot(HERE).lastActivityMillis();
        FakeClock clock = new FakeClock(lastActivity);
        List<Long> openedAt = new ArrayList<>();
        UploadPacing pacing = new UploadPacing(Duration.ofSeconds(2), Duration.ofSeconds(60), Duration.ofSeconds(5),
                Duration.ofMillis(250));

        BackgroundUploader.drain(queue, HERE, store, () -> {
            openedAt.add(clock.now);
            return Optional.of(remote);
        }, 3, pacing, clock);

        assertTrue(remote.contains(a));
        assertTrue(!openedAt.isEmpty() && openedAt.get(0) - lastActivity >= 2000,
                "opened (its SDK started) only once the store was quiet: " + openedAt);
        List<Long> again = new ArrayList<>();
        BackgroundUploader.drain(queue, HERE, store, () -> {
            again.add(clock.now);
            return Optional.of(remote);
        }, 3, pacing, clock);
        assertEquals(List.of(), again, "nothing to send: never opened");
    }

    @Test
    void aBuildThatNeverPausesStillGetsItsEntriesSentAfterTheLongestDeferral() throws Exception {
        ArtifactKey a = put("serde", "a");
        queue.add(a, HERE);
        long queuedAt = queue.snapshot(HERE).oldestQueuedMillis();
        UploadPacing pacing = new UploadPacing(Duration.ofSeconds(2), Duration.ofSeconds(60), Duration.ofSeconds(5),
                Duration.ofMillis(250));
        FakeClock clock = new FakeClock(queuedAt);
        List<Long> sentAt = new ArrayList<>();
        // Every wait sees a rustc call begin: the store is never quiet.
        clock.onSleep = () -> {
            if (clock.now - queuedAt < 70_000) {
                store.recordMiss();
                touchCounters(clock.now);
            }
        };
        BackgroundUploader.drain(queue, HERE, store, new Recording(remote, () -> sentAt.add(clock.now)), 3, pacing, clock);

        assertEquals(1, sentAt.size());
        assertTrue(sentAt.get(0) - queuedAt >= 60_000 && sentAt.get(0) - queuedAt <= 60_250,
                "sent after 60 s though the build kept going: " + (sentAt.get(0) - queuedAt));
    }

    private void touchCounters(long millis) {
        try {
            Files.setLastModifiedTime(temp.resolve("store/counters"), FileTime.fromMillis(millis));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Time that moves only when the uploader waits. */
    private static final class FakeClock implements BackgroundUploader.Clock {
        long now;
        Runnable onSleep = () -> { };

        FakeClock(long start) {
            now = start;
        }

        @Override
        public long millis() {
            return now;
        }

        @Override
        public void sleep(long millis) {
            now += millis;
            onSleep.run();
        }
    }

    /** Runs {@code onStore} as each entry is stored. */
    private static final class Recording extends ForwardingArtifactStore {
        private final Runnable onStore;

        Recording(ArtifactStore inner, Runnable onStore) {
            super(inner);
            this.onStore = onStore;
        }

        @Override
        public void store(ArtifactKey key, ArtifactSource source) throws StoreException {
            onStore.run();
            super.store(key, source);
        }
    }

    private ArtifactKey put(String crate, String seed) throws IOException {
        ArtifactKey key = new ArtifactKey(crate, seed.repeat(64));
        Path out = Files.createDirectories(temp.resolve("out-" + crate));
        Files.writeString(out.resolve("lib" + crate + ".rlib"), "content of " + crate);
        store.put(key, List.of(new OutputFile("lib" + crate + ".rlib", out.resolve("lib" + crate + ".rlib"))),
                null, null, Map.of());
        return key;
    }

    /** A remote whose writes of the keys {@code rejects} names are answered with {@code error}. */
    private static final class Rejecting extends ForwardingArtifactStore {
        private final StoreException error;
        private final java.util.function.Predicate<ArtifactKey> rejects;

        /** Every write answered with {@code error}. */
        Rejecting(ArtifactStore inner, StoreException error) {
            this(inner, error, k -> true);
        }

        Rejecting(ArtifactStore inner, StoreException error, java.util.function.Predicate<ArtifactKey> rejects) {
            super(inner);
            this.error = error;
            this.rejects = rejects;
        }

        @Override
        public void store(ArtifactKey key, ArtifactSource source) throws StoreException {
            if (rejects.test(key)) {
                throw error;
            }
            super.store(key, source);
        }
    }

    /** A remote that lets this machine read but not write, as a read-only bucket policy does. */
    private static final class Denying extends ForwardingArtifactStore {
        Denying(ArtifactStore inner) {
            super(inner);
        }

        @Override
        public void store(ArtifactKey key, ArtifactSource source) throws StoreAccessDeniedException {
            throw new StoreAccessDeniedException("mem://bucket", "PutObject", null, null);
        }
    }
}
