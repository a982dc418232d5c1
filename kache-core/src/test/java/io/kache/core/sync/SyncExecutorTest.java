package io.kache.core.sync;

import static io.kache.core.sync.SyncFixtures.QUICK_RETRY;
import static io.kache.core.sync.SyncFixtures.key;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.api.StoreAccessDeniedException;
import io.kache.api.StoreException;
import io.kache.api.StoreUnavailableException;
import io.kache.core.entry.EntryManifest;
import io.kache.core.remote.s3.backend.S3ErrorMapper;
import io.kache.core.remote.s3.backend.S3ErrorResponse;
import io.kache.core.pack.HostilePackTest;
import io.kache.core.store.EntryInfo;
import io.kache.core.store.LocalStore;
import io.kache.core.sync.TransferOutcome.Status;
import io.kache.core.sync.cargo.ProjectCrates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SyncExecutorTest {

    @TempDir
    Path tmp;
    ScriptedStore remote;
    LocalStore machineA;
    LocalStore local;
    final List<String> events = new CopyOnWriteArrayList<>();

    final SyncListener recorder = new SyncListener() {
        @Override
        public void retrying(Transfer t, int failedAttempt, StoreException error, Duration wait) {
            events.add("retry " + t + " after " + failedAttempt);
        }

        @Override
        public void refused(Direction direction, String explanation) {
            events.add("refused " + direction + ": " + explanation);
        }
    };

    @BeforeEach
    void setUp() throws Exception {
        remote = new ScriptedStore();
        machineA = LocalStore.open(tmp.resolve("a"), 1L << 30);
        local = LocalStore.open(tmp.resolve("b"), 1L << 30);
    }

    @AfterEach
    void tearDown() throws Exception {
        machineA.close();
        local.close();
    }

    private SyncResult sync(ProjectCrates crates, boolean pull, boolean push, int concurrency) throws Exception {
        SyncPlan plan = new SyncPlanner(remote, local, concurrency, QUICK_RETRY).plan(crates, pull, push);
        return execute(plan, concurrency);
    }

    private SyncResult execute(SyncPlan plan, int concurrency) throws Exception {
        return executor(concurrency).execute(plan, recorder);
    }

    private SyncExecutor executor(int concurrency) {
        return new SyncExecutor(remote, local, new SyncOptions(concurrency, 3, QUICK_RETRY, Optional.of(tmp)));
    }

    private ArtifactKey onRemote(String crate, String seed) throws Exception {
        return SyncFixtures.upload(machineA, tmp.resolve("work-a"), remote, key(crate, seed), 5000);
    }

    private static ProjectCrates only(String... crates) {
        return new ProjectCrates(Optional.of(Set.of(crates)), Optional.of(Set.of(crates)), List.of());
    }

    @Test
    void pulledEntriesAreVerifiedImportedAndRestoreToTheSameBytes() throws Exception {
        ArtifactKey a = onRemote("serde", "1");
        ArtifactKey b = onRemote("serde", "2");
        SyncResult result = sync(only("serde"), true, false, 4);

        assertTrue(result.complete(), result.toString());
        assertEquals(2, result.count(Direction.PULL, Status.DONE));
        assertEquals(SyncFixtures.pack(machineA, a).length + SyncFixtures.pack(machineA, b).length,
                result.bytes(Direction.PULL));
        for (ArtifactKey k : List.of(a, b)) {
            EntryManifest m = local.lookup(k).orElseThrow();
            Path restored = Files.createDirectories(tmp.resolve("restored-" + k.shortKey()));
            local.restore(m, restored);
            byte[] expected = Files.readAllBytes(tmp.resolve("work-a").resolve("serde-" + k.shortKey())
                    .resolve("libserde.rlib"));
            assertArrayEquals(expected, Files.readAllBytes(restored.resolve("libserde.rlib")));
        }
        assertEquals(List.of(), sync(only("serde"), true, false, 4).outcomes(), "a second pull has nothing to do");
    }

    /**
     * A local store that cannot take what the remote delivers (a full disk) fails each pull with the
     * local reason, unretried, and the remote is not given up as unavailable: it answered every time.
     */
    @Test
    void pullsTheLocalStoreCannotTakeFailAsTheLocalStoresNotTheRemotes() throws Exception {
        for (int i = 0; i < OutageGuard.FAILURES_IN_A_ROW + 1; i++) {
            onRemote("serde", String.valueOf(i));
        }
        io.kache.core.store.StoreFaults.cannotTakeFiles(local.root());
        OutageGuard guarded = new OutageGuard(remote);
        SyncPlan plan = new SyncPlanner(guarded, local, 1, QUICK_RETRY).plan(only("serde"), true, false);

        SyncResult result = new SyncExecutor(guarded, local, new SyncOptions(1, 3, QUICK_RETRY, Optional.of(tmp)))
                .execute(plan, recorder);

        assertEquals(OutageGuard.FAILURES_IN_A_ROW + 1, result.failures().size(), result.toString());
        for (TransferOutcome o : result.failures()) {
            assertTrue(o.detail().startsWith("the local store could not take it: "), o.detail());
            assertEquals(1, o.attempts(), o.toString());
        }
        assertEquals(Optional.empty(), guarded.verdict(), "the remote answered every time");
        assertEquals(List.of(), events, "nothing retried, nothing refused");
    }

    /** Eight crates of one entry of about 64 KiB each (unpacked, as the store counts them) on the remote. */
    private ProjectCrates eightCratesOf64KiB() throws Exception {
        List<String> crates = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            SyncFixtures.upload(machineA, tmp.resolve("work-a"), remote, key("c" + i, "1"), 64 * 1024);
            crates.add("c" + i);
        }
        return only(crates.toArray(String[]::new));
    }

    private static List<ArtifactKey> pulled(SyncResult result) {
        return result.outcomes().stream().filter(o -> o.status() == Status.DONE).map(o -> o.transfer().key()).toList();
    }

    /**
     * A pull of more than the local store's cap holds (512 KiB for 256 KiB): each import past the cap
     * would evict the pull's own first entries, which the build then misses and downloads again. The
     * pull stops once the next entry would pass 90% of the cap (the level an eviction brings the store
     * down to), skips the rest, says why once with the setting to raise, and fails nothing; everything
     * it reports pulled is still there.
     */
    @Test
    void aPullStopsAtTheLocalStoresCapAndKeepsEverythingItBrought() throws Exception {
        ProjectCrates crates = eightCratesOf64KiB();
        try (LocalStore small = LocalStore.open(tmp.resolve("small"), 256 * 1024)) {
            SyncPlan plan = new SyncPlanner(remote, small, 1, QUICK_RETRY).plan(crates, true, false);
            int loadsBefore = remote.loadCalls.get();

            SyncResult result = new SyncExecutor(remote, small, new SyncOptions(1, 3, QUICK_RETRY, Optional.of(tmp)))
                    .execute(plan, recorder);

            List<ArtifactKey> pulled = pulled(result);
            for (ArtifactKey k : pulled) {
                assertTrue(small.contains(k), k + " was pulled and is still there: " + small.list(Optional.empty()));
            }
            assertEquals(3, pulled.size(), "what fits under 90% of the cap: " + result);
            assertEquals(4, remote.loadCalls.get() - loadsBefore, "nothing asked for once an entry did not fit");
            assertEquals(3, small.list(Optional.empty()).size(), "the entry that did not fit left no entry behind");
            try (java.util.stream.Stream<java.nio.file.Path> staged = java.nio.file.Files.walk(tmp.resolve("small/tmp"))) {
                assertEquals(0, staged.filter(java.nio.file.Files::isRegularFile).count(), "nor a staged file");
            }
            assertEquals(5, result.count(Direction.PULL, Status.SKIPPED), result.toString());
            assertTrue(result.outcomes().stream().filter(o -> o.status() == Status.SKIPPED)
                    .allMatch(o -> o.detail().equals(SyncExecutor.AT_CAP)), result.toString());
            assertTrue(result.complete(), "nothing failed: " + result);
            String why = result.stoppedAtCap().orElseThrow();
            assertTrue(why.contains("local_max_size") && why.contains("KACHE_MAX_SIZE"), why);
        }
    }

    @Test
    void aPullIntoAStoreWithRoomBringsEverything() throws Exception {
        ProjectCrates crates = eightCratesOf64KiB();

        SyncResult result = sync(crates, true, false, 1);

        assertEquals(8, pulled(result).size(), result.toString());
        for (ArtifactKey k : pulled(result)) {
            assertTrue(local.contains(k));
        }
        assertEquals(Optional.empty(), result.stoppedAtCap());
    }

    /** A build after a pull only reads manifests: the pull left no pack for a first lookup to unpack. */
    @Test
    void aPullLeavesEveryEntryUnpackedAndIndexedSoTheBuildOnlyReadsManifests() throws Exception {
        ArtifactKey a = onRemote("serde", "1");
        ArtifactKey b = onRemote("rand", "2");
        SyncResult result = sync(only("serde", "rand"), true, false, 4);

        assertEquals(2, result.count(Direction.PULL, Status.DONE), result.toString());
        List<EntryInfo> entries = local.list(Optional.empty());
        assertEquals(2, entries.size());
        assertTrue(entries.stream().noneMatch(EntryInfo::packed), "nothing is left packed: " + entries);
        assertEquals(0, local.stats().packedEntries());
        for (ArtifactKey k : List.of(a, b)) {
            assertTrue(Files.isRegularFile(local.root().resolve("entries").resolve(k.crateName()).resolve(k.cacheKey())),
                    "the manifest a lookup reads is there");
        }
    }

    /**
     * A pack whose integrity trailer and manifest pass but whose content is hostile (a file not
     * matching its SHA-256, a traversal, a link, a bomb...) fails the pull, with nothing of it kept.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.kache.core.pack.HostilePackTest#corpus")
    void aHostilePackFailsThePullAndLeavesNothing(String name, byte[] pack, String expected) throws Exception {
        ArtifactKey k = HostilePackTest.KEY;
        remote.backing.putRawObject(remote.backing.layout().objectName(k), pack);

        SyncResult result = sync(only(k.crateName()), true, false, 2);

        assertEquals(1, result.failures().size(), name + ": " + result);
        assertFalse(local.contains(k), name);
        assertEquals(List.of(), local.list(Optional.empty()), name);
        try (Stream<Path> blobs = Files.walk(local.root().resolve("blobs"))) {
            assertEquals(List.of(), blobs.filter(Files::isRegularFile).toList(), name + ": no blob of it");
        }
    }

    @Test
    void pullsStartWhileOtherCratesAreStillBeingListed() throws Exception {
        ArtifactKey early = onRemote("aaa", "1");
        ArtifactKey late = onRemote("zzz", "1");
        CountDownLatch earlyPullStarted = new CountDownLatch(1);
        AtomicBoolean lateListingSawAPull = new AtomicBoolean();
        remote.duringLoad = earlyPullStarted::countDown;
        remote.duringList = crate -> {
            if (crate.equals("zzz")) {
                try {
                    lateListingSawAPull.set(earlyPullStarted.await(10, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        List<SyncPlan> told = new CopyOnWriteArrayList<>();
        SyncListener planListener = new SyncListener() {
            @Override
            public void planned(SyncPlan plan) {
                told.add(plan);
            }
        };
        SyncResult result = executor(2).execute(new SyncPlanner(remote, local, 2, QUICK_RETRY), only("aaa", "zzz"),
                true, false, planListener);

        assertTrue(lateListingSawAPull.get(), "the pull of a listed crate began while another crate was still listed");
        assertTrue(result.complete(), result.toString());
        assertEquals(List.of(early, late), result.outcomes().stream().map(o -> o.transfer().key()).toList());
        assertTrue(local.contains(early) && local.contains(late));
        assertEquals(1, told.size());
        assertEquals(List.of(early, late), told.get(0).pulls().stream().map(Transfer::key).toList());
    }

    @Test
    void planningAsItGoesMovesExactlyWhatTheWholePlanNames() throws Exception {
        for (String crate : List.of("serde", "tokio", "rand")) {
            onRemote(crate, "remote-1");
            onRemote(crate, "remote-2");
        }
        ArtifactKey alreadyHere = onRemote("tokio", "both");
        SyncFixtures.put(local, tmp.resolve("work-b"), alreadyHere, 5000);
        SyncFixtures.put(local, tmp.resolve("work-b"), key("serde", "local-only"), 3000);
        SyncFixtures.put(local, tmp.resolve("work-b"), key("rand", "not-a-member"), 3000);
        ProjectCrates crates = new ProjectCrates(Optional.of(Set.of("serde", "tokio")), Optional.of(Set.of("serde")),
                List.of());
        SyncPlanner planner = new SyncPlanner(remote, local, 3, QUICK_RETRY);
        SyncPlan whole = planner.plan(crates, true, true);

        SyncResult result = executor(3).execute(planner, crates, true, true, recorder);

        assertEquals(4, whole.pulls().size(), whole.toString());
        assertEquals(1, whole.pushes().size(), whole.toString());
        assertEquals(whole.all(), result.outcomes().stream().map(TransferOutcome::transfer).toList());
        assertTrue(result.complete(), result.toString());
        assertTrue(remote.contains(key("serde", "local-only")));
        assertFalse(remote.contains(key("rand", "not-a-member")));
        assertEquals(List.of(), planner.plan(crates, true, true).all(), "nothing is left to move");
    }

    @Test
    void pushesWithoutATemporaryDirectoryFailButThePullsDoneAreReported() throws Exception {
        ArtifactKey pulled = onRemote("serde", "1");
        ArtifactKey mine = SyncFixtures.put(local, tmp.resolve("work-b"), key("app", "1"), 3000);
        Path notADirectory = Files.writeString(tmp.resolve("a-file"), "x");
        ProjectCrates crates = new ProjectCrates(Optional.of(Set.of("serde", "app")), Optional.of(Set.of("app")),
                List.of());

        SyncResult result = new SyncExecutor(remote, local, new SyncOptions(2, 3, QUICK_RETRY,
                Optional.of(notADirectory))).execute(new SyncPlanner(remote, local, 2, QUICK_RETRY), crates, true, true,
                recorder);

        assertEquals(Status.DONE, result.outcomes().get(0).status(), result.toString());
        assertEquals(pulled, result.outcomes().get(0).transfer().key());
        assertTrue(local.contains(pulled));
        TransferOutcome push = result.outcomes().get(1);
        assertEquals(mine, push.transfer().key());
        assertEquals(Status.FAILED, push.status());
        assertTrue(push.detail().contains("no temporary directory for the pushed packs"), push.detail());
        assertFalse(result.complete());
        assertFalse(remote.contains(mine));
    }

    @Test
    void pushedEntriesArriveAsPacksAnotherMachineCanImport() throws Exception {
        ArtifactKey k = SyncFixtures.put(local, tmp.resolve("work-b"), key("app", "1"), 3000);
        SyncResult result = sync(only("app"), false, true, 2);
        assertEquals(1, result.count(Direction.PUSH, Status.DONE));
        assertTrue(remote.contains(k));
        assertArrayEquals(SyncFixtures.pack(local, k), readRemote(k), "the pushed pack is the entry's export");
        try (Stream<Path> leftovers = Files.list(tmp).filter(p -> p.getFileName().toString().startsWith("kache-sync"))) {
            assertEquals(0, leftovers.count(), "temporary packs are removed");
        }
    }

    @Test
    void corruptedAndTruncatedObjectsFailAndLeaveNothingBehind() throws Exception {
        ArtifactKey good = onRemote("serde", "good");
        ArtifactKey flipped = key("serde", "flipped");
        ArtifactKey cut = key("serde", "cut");
        byte[] pack = SyncFixtures.pack(machineA, good);
        byte[] corrupt = pack.clone();
        corrupt[corrupt.length / 2] ^= 0x5a;
        remote.backing.putRawObject(remote.backing.layout().objectName(flipped), corrupt);
        remote.backing.putRawObject(remote.backing.layout().objectName(cut), Arrays.copyOf(pack, pack.length / 2));

        SyncResult result = sync(only("serde"), true, false, 3);

        assertEquals(1, result.count(Direction.PULL, Status.DONE));
        assertEquals(2, result.failures().size());
        for (TransferOutcome f : result.failures()) {
            assertTrue(f.detail().contains("corrupted"), f.detail());
            assertEquals(1, f.attempts(), "corruption is not retried");
            assertFalse(local.contains(f.transfer().key()));
        }
        assertTrue(local.contains(good));
        assertEquals(1, local.list(Optional.empty()).size(), "nothing of the bad objects is in the store");
    }

    @Test
    void retryableFailuresAreRetriedAndPermanentOnesStopAfterThePolicy() throws Exception {
        ArtifactKey k = onRemote("serde", "1");
        remote.failNext("load", new StoreUnavailableException("503 SlowDown"), new StoreUnavailableException("reset"));
        SyncResult result = sync(only("serde"), true, false, 1);
        assertEquals(List.of(Status.DONE), result.outcomes().stream().map(TransferOutcome::status).toList());
        assertEquals(3, result.outcomes().get(0).attempts());
        assertEquals(2, events.stream().filter(e -> e.startsWith("retry pull serde")).count(), events.toString());
        assertTrue(local.contains(k));

        ArtifactKey k2 = onRemote("serde", "2");
        StoreUnavailableException down = new StoreUnavailableException("connection refused");
        remote.failNext("load", down, down, down);
        result = sync(only("serde"), true, false, 1);
        assertEquals(Status.FAILED, result.outcomes().get(0).status());
        assertEquals(3, result.outcomes().get(0).attempts());
        assertTrue(result.outcomes().get(0).detail().contains("connection refused"));
        assertFalse(local.contains(k2));
        assertFalse(result.complete());
    }

    @Test
    void aRefusedPushIsReportedOnceNamesRemoteReadonlyAndSkipsTheRest() throws Exception {
        List<ArtifactKey> keys = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            keys.add(SyncFixtures.put(local, tmp.resolve("work-b"), key("app", "k" + i), 500));
        }
        StoreAccessDeniedException denied = new StoreAccessDeniedException("s3://bucket/artifacts", "PutObject",
                null, null);
        remote.failNext("store", denied, denied, denied, denied, denied, denied);

        SyncResult result = sync(only("app"), false, true, 1);

        List<String> refusals = events.stream().filter(e -> e.startsWith("refused")).toList();
        assertEquals(1, refusals.size(), events.toString());
        assertTrue(refusals.get(0).contains("remote_readonly"), refusals.get(0));
        assertEquals(1, result.count(Direction.PUSH, Status.FAILED));
        assertEquals(5, result.count(Direction.PUSH, Status.SKIPPED));
        assertEquals(1, remote.storeCalls.get(), "after a refusal no further push reaches the remote");
        assertTrue(result.refusal(Direction.PUSH).orElseThrow().contains("remote_readonly"));
        for (ArtifactKey k : keys) {
            assertTrue(local.lookup(k).isPresent(), "the local store is intact");
        }
    }

    @Test
    void anEntryTheRemoteRejectsAloneFailsThatEntryOnlyAndTheOthersArePushed() throws Exception {
        List<ArtifactKey> keys = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            keys.add(SyncFixtures.put(local, tmp.resolve("work-b"), key("app", "k" + i), 500));
        }
        ArtifactKey tooLarge = keys.get(1);
        // What both S3 clients throw when a proxy in front of the remote answers its PUT with a bare 413.
        StoreException rejection = new S3ErrorMapper("bucket", "artifacts", "http://127.0.0.1:9000")
                .response(new S3ErrorResponse(413, "", null), "PutObject", "artifacts/app/" + tooLarge.cacheKey()
                        + ".tar.zst", null);
        remote.rejectStoresOf(tooLarge, rejection);

        SyncResult result = sync(only("app"), false, true, 1);

        assertEquals(List.of(), events.stream().filter(e -> e.startsWith("refused")).toList(), "no refusal");
        assertTrue(result.refusal(Direction.PUSH).isEmpty());
        assertEquals(3, result.count(Direction.PUSH, Status.DONE));
        assertEquals(0, result.count(Direction.PUSH, Status.SKIPPED));
        TransferOutcome failed = result.failures().get(0);
        assertEquals(List.of(failed), result.failures());
        assertEquals(tooLarge, failed.transfer().key());
        assertTrue(failed.detail().contains("HTTP 413") && failed.detail().contains("body-size limit"),
                failed.detail());
        assertFalse(failed.detail().contains("refused"), failed.detail());
        assertFalse(result.complete());
        for (ArtifactKey k : keys) {
            assertEquals(!k.equals(tooLarge), remote.backing.contains(k), k.toString());
            assertTrue(local.lookup(k).isPresent(), "the local store is intact");
        }
    }

    /**
     * A GET the remote refuses for its one object (S3's {@code 400 KeyTooLongError}) fails that pull
     * alone: no refusal of the direction, and through the sync's {@link OutageGuard} more of them in a
     * row than its limit do not give the remote up.
     */
    @Test
    void anEntryWhoseGetTheRemoteRejectsAloneFailsThatEntryOnlyAndTheOthersArePulled() throws Exception {
        List<ArtifactKey> keys = new ArrayList<>();
        for (int i = 0; i < OutageGuard.FAILURES_IN_A_ROW + 2; i++) {
            keys.add(onRemote("serde", "k" + i));
        }
        // In the order they are pulled, one at a time: the refused ones in a row, then one more.
        keys.sort(java.util.Comparator.comparing(ArtifactKey::cacheKey));
        List<ArtifactKey> refused = keys.subList(0, OutageGuard.FAILURES_IN_A_ROW + 1);
        for (ArtifactKey k : refused) {
            remote.rejectLoadsOf(k, new S3ErrorMapper("bucket", "artifacts", "http://127.0.0.1:9000")
                    .response(new S3ErrorResponse(400, "KeyTooLongError", null), "GetObject",
                            "artifacts/serde/" + k.cacheKey() + ".tar.zst", null));
        }
        OutageGuard guarded = new OutageGuard(remote);
        SyncPlan plan = new SyncPlanner(guarded, local, 1, QUICK_RETRY).plan(only("serde"), true, false);

        SyncResult result = new SyncExecutor(guarded, local, new SyncOptions(1, 3, QUICK_RETRY, Optional.of(tmp)))
                .execute(plan, recorder);

        assertEquals(Optional.empty(), guarded.verdict(), "the remote answered every GET: it is not given up");
        assertTrue(result.refusal(Direction.PULL).isEmpty());
        assertEquals(refused.size(), result.failures().size(), result.toString());
        for (TransferOutcome failed : result.failures()) {
            assertTrue(refused.contains(failed.transfer().key()), failed.toString());
            assertTrue(failed.detail().contains("KeyTooLongError"), failed.detail());
            assertEquals(1, failed.attempts(), "never retried: " + failed);
        }
        ArtifactKey pulled = keys.get(keys.size() - 1);
        assertEquals(1, result.count(Direction.PULL, Status.DONE));
        assertTrue(local.lookup(pulled).isPresent(), "the entry after them is pulled");
    }

    @Test
    void entriesThatVanishOrAppearAfterThePlanAreSkippedNotFailed() throws Exception {
        ArtifactKey gone = onRemote("serde", "gone");
        ArtifactKey arrived = onRemote("serde", "arrived");
        ArtifactKey evicted = SyncFixtures.put(local, tmp.resolve("work-b"), key("app", "evicted"), 500);
        SyncPlan plan = new SyncPlanner(remote, local, 2, QUICK_RETRY).plan(
                new ProjectCrates(Optional.of(Set.of("serde")), Optional.of(Set.of("app")), List.of()), true, true);
        assertEquals(2, plan.pulls().size());
        assertEquals(1, plan.pushes().size());

        remote.hidden.add(gone);
        SyncFixtures.put(local, tmp.resolve("work-c"), arrived, 5000);
        local.purge(Optional.of("app"));

        SyncResult result = execute(plan, 2);
        assertTrue(result.complete(), result.toString());
        assertEquals(3, result.count(Direction.PULL, Status.SKIPPED) + result.count(Direction.PUSH, Status.SKIPPED));
        assertFalse(remote.contains(evicted));
        assertFalse(local.contains(gone));
    }

    @Test
    void transfersRunInParallelUpToTheLimitAndAllRunToTheEnd() throws Exception {
        for (int i = 0; i < 12; i++) {
            onRemote("tokio", "e" + i);
        }
        // The first three loads wait for each other: they can only all pass if three run at once.
        CyclicBarrier firstThree = new CyclicBarrier(3);
        AtomicInteger arrivals = new AtomicInteger();
        remote.duringLoad = () -> {
            if (arrivals.incrementAndGet() <= 3) {
                try {
                    firstThree.await(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("three loads never ran at once", e);
                }
            }
        };
        StoreUnavailableException down = new StoreUnavailableException("down");
        remote.failNext("load", down, down, down);
        SyncResult result = sync(only("tokio"), true, false, 3);
        assertEquals(3, remote.maxLoading.get(), "exactly the limit at once");
        assertEquals(12, result.outcomes().size());
        assertEquals(12, result.count(Direction.PULL, Status.DONE) + result.count(Direction.PULL, Status.FAILED));
        assertEquals(12, local.list(Optional.empty()).size() + result.failures().size());
    }

    @Test
    void twoSyncsIntoOneStoreAtOnceBothEndCompleteAndTheStoreHoldsEachEntryOnce() throws Exception {
        List<ArtifactKey> keys = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            keys.add(onRemote("tokio", "both" + i));
        }
        SyncPlan plan = new SyncPlanner(remote, local, 2, QUICK_RETRY).plan(only("tokio"), true, false);
        CompletableFuture<SyncResult> first = CompletableFuture.supplyAsync(() -> run(plan));
        CompletableFuture<SyncResult> second = CompletableFuture.supplyAsync(() -> run(plan));
        for (SyncResult r : List.of(first.get(60, TimeUnit.SECONDS), second.get(60, TimeUnit.SECONDS))) {
            assertTrue(r.complete(), r.toString());
            assertEquals(10, r.count(Direction.PULL, Status.DONE) + r.count(Direction.PULL, Status.SKIPPED));
        }
        assertEquals(new HashSet<>(keys), new HashSet<>(local.list(Optional.empty()).stream()
                .map(e -> e.key()).toList()));
        try (Stream<Path> temps = Files.list(tmp.resolve("b").resolve("tmp"))) {
            assertEquals(0, temps.count(), "no staged files left behind");
        }
    }

    private SyncResult run(SyncPlan plan) {
        try {
            return execute(plan, 2);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] readRemote(ArtifactKey k) throws Exception {
        byte[][] read = new byte[1][];
        remote.load(k, (in, size) -> read[0] = in.readAllBytes());
        return read[0];
    }
}
