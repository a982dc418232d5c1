package io.kache.core.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactSource;
import io.kache.api.ArtifactStore;
import io.kache.api.CorruptedEntryException;
import io.kache.api.EntryReader;
import io.kache.api.StoreAccessDeniedException;
import io.kache.api.StoreException;
import io.kache.api.StoreUnavailableException;
import io.kache.core.remote.RetryPolicy;
import io.kache.core.store.LocalStore;
import io.kache.core.sync.cargo.ProjectCrates;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A remote is given up after three requests in a row failed as unavailable; any answer starts the count again. */
class OutageGuardTest {

    @TempDir
    Path tmp;

    static final ArtifactKey KEY = SyncFixtures.key("app", "1");

    static StoreUnavailableException down(int n) {
        return new StoreUnavailableException("timed out #" + n);
    }

    @Test
    void threeUnavailableRequestsInARowGiveTheRemoteUp() throws Exception {
        ScriptedStore remote = new ScriptedStore();
        OutageGuard guard = new OutageGuard(remote);
        remote.failNext("list", down(1), down(2));
        remote.failNext("load", down(3));
        assertThrows(StoreUnavailableException.class, () -> guard.list("app"));
        assertThrows(StoreUnavailableException.class, () -> guard.list("core_lib"));
        assertFalse(guard.verdict().isPresent(), "two failures are not yet an outage");
        assertThrows(StoreUnavailableException.class, () -> guard.load(KEY, (in, size) -> { }));
        assertTrue(guard.verdict().orElseThrow().contains("timed out #3"), guard.verdict().toString());

        StoreUnavailableException fast = assertThrows(StoreUnavailableException.class, () -> guard.list("macros"));
        assertTrue(fast.getMessage().startsWith("not tried: "), fast.getMessage());
        assertThrows(StoreUnavailableException.class, () -> guard.store(KEY, ArtifactSource.ofBytes(new byte[1])));
        assertThrows(StoreUnavailableException.class, () -> guard.contains(KEY));
        assertThrows(StoreUnavailableException.class, guard::listAll);
        assertEquals(List.of("app", "core_lib"), remote.listed, "nothing more reached the remote");
        assertEquals(1, remote.loadCalls.get());
        assertEquals(0, remote.storeCalls.get());
    }

    @Test
    void anAnswerBetweenFailuresStartsTheCountAgain() throws Exception {
        ScriptedStore remote = new ScriptedStore();
        OutageGuard guard = new OutageGuard(remote);
        remote.failNext("list", down(1), down(2));
        assertThrows(StoreUnavailableException.class, () -> guard.list("a"));
        assertThrows(StoreUnavailableException.class, () -> guard.list("b"));
        assertFalse(guard.load(KEY, (in, size) -> { }), "a miss is an answer");
        remote.failNext("list", down(3), down(4));
        assertThrows(StoreUnavailableException.class, () -> guard.list("c"));
        assertThrows(StoreUnavailableException.class, () -> guard.list("d"));
        assertFalse(guard.verdict().isPresent());
        try (Stream<ArtifactKey> listed = guard.list("e")) {
            assertEquals(0, listed.count());
        }
    }

    @Test
    void refusalsAndDamagedObjectsAreAnswersNotAnOutage() throws Exception {
        ScriptedStore remote = new ScriptedStore();
        OutageGuard guard = new OutageGuard(remote);
        remote.failNext("load", down(1), down(2), new CorruptedEntryException("bad pack"), down(3), down(4),
                new StoreAccessDeniedException("s3://b/k", "GetObject", null, null), down(5));
        for (int i = 0; i < 7; i++) {
            assertThrows(StoreException.class, () -> guard.load(KEY, (in, size) -> { }));
        }
        assertFalse(guard.verdict().isPresent());
        assertEquals(7, remote.loadCalls.get());
    }

    @Test
    void aSyncAgainstARemoteThatIsDownTriesThreeListingsAndReportsEveryCrate() throws Exception {
        ScriptedStore remote = new ScriptedStore();
        List<String> crates = IntStream.range(0, 10).mapToObj(i -> "crate" + i).toList();
        for (int i = 0; i < crates.size(); i++) {
            remote.failNext("list", down(i));
        }
        try (LocalStore local = LocalStore.open(tmp.resolve("local"), 1L << 30)) {
            SyncPlan plan = new SyncPlanner(new OutageGuard(remote), local, 1, RetryPolicy.DEFAULT)
                    .plan(new ProjectCrates(Optional.of(Set.copyOf(crates)), Optional.of(Set.of()), List.of()), true, false);
            assertEquals(OutageGuard.FAILURES_IN_A_ROW, remote.listed.size(), "one request per listing, three listings");
            assertEquals(crates.size(), plan.listingFailures().size(), "every crate reported: " + plan.listingFailures());
            assertEquals(crates.size() - OutageGuard.FAILURES_IN_A_ROW,
                    plan.listingFailures().stream().filter(f -> f.contains("not tried")).count());
        }
    }

    @Test
    void transfersAfterTheRemoteWasGivenUpFailAtOnceEachReported() throws Exception {
        ScriptedStore remote = new ScriptedStore();
        try (LocalStore other = LocalStore.open(tmp.resolve("other"), 1L << 30);
                LocalStore local = LocalStore.open(tmp.resolve("local"), 1L << 30)) {
            List<Transfer> pulls = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                pulls.add(new Transfer(Direction.PULL, SyncFixtures.upload(other, tmp, remote, SyncFixtures.key("app",
                        "e" + i), 100), -1));
            }
            remote.failNext("load", down(1), down(2), down(3));
            SyncResult result = new SyncExecutor(new OutageGuard(remote), local, new SyncOptions(1, 3,
                    RetryPolicy.DEFAULT, Optional.empty())).execute(new SyncPlan(pulls, List.of(), List.of(), List.of()),
                    SyncListener.NONE);
            assertEquals(8, result.count(Direction.PULL, TransferOutcome.Status.FAILED), "every transfer reported");
            assertEquals(OutageGuard.FAILURES_IN_A_ROW, remote.loadCalls.get());
            assertEquals(5, result.failures().stream().filter(f -> f.detail().startsWith("not tried")).count());
        }
    }

    /** A listing paged as it is read fails while it is read: that is a failed request too. */
    @Test
    void aPageThatFailsWhileTheListingIsReadCounts() {
        OutageGuard guard = new OutageGuard(new LazilyFailingStore());
        for (int i = 0; i < OutageGuard.FAILURES_IN_A_ROW; i++) {
            assertThrows(UncheckedIOException.class, () -> {
                try (Stream<ArtifactKey> listed = guard.list("app")) {
                    listed.count();
                }
            });
        }
        assertTrue(guard.verdict().isPresent());
    }

    /** Its listings start without a request and fail on the first page. */
    private static final class LazilyFailingStore implements ArtifactStore {
        @Override
        public Stream<ArtifactKey> list(String crateName) {
            return Stream.of(KEY).map(k -> {
                throw new UncheckedIOException(down(0));
            });
        }

        @Override
        public boolean load(ArtifactKey key, EntryReader reader) {
            return false;
        }

        @Override
        public void store(ArtifactKey key, ArtifactSource source) {
        }

        @Override
        public boolean contains(ArtifactKey key) {
            return false;
        }

        @Override
        public Stream<ArtifactKey> listAll() {
            return Stream.empty();
        }

        @Override
        public void close() {
        }
    }
}
