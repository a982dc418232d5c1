package io.kache.core.wrapper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactSource;
import io.kache.api.ArtifactStore;
import io.kache.api.EntryReader;
import io.kache.api.StoreException;
import io.kache.core.entry.OutputFile;
import io.kache.core.hash.Sha256;
import io.kache.core.remote.RemoteDestination;
import io.kache.core.store.LocalStore;
import io.kache.core.sync.records.BuildIdentity;
import io.kache.core.sync.records.BuildRecord;
import io.kache.core.sync.records.RecordWriter;
import io.kache.testkit.InMemoryArtifactStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's prefetch of a build's record: a call waits for its crate's entry in flight, an entry
 * is fetched once whoever asks (the prefetch or a read-through), a wait ends at its deadline, closing
 * settles everything, and a hostile or stale record costs nothing but what it names.
 */
class BuildPrefetcherTest {

    private static final BuildIdentity ID = new BuildIdentity("tc", "host", "debug", "none", "lock", "members");
    private static final String BUILD = "4242-1";
    private static final RemoteDestination DESTINATION = new RemoteDestination("0123456789abcdef");

    @TempDir
    Path temp;
    LocalStore source;
    GatedRemote remote = new GatedRemote();
    InFlightFetches inFlight = new InFlightFetches();
    BuildPrefetcher prefetcher = new BuildPrefetcher(inFlight);

    @BeforeEach
    void setUp() throws IOException {
        source = LocalStore.open(temp.resolve("source"), 1L << 30);
    }

    @AfterEach
    void tearDown() throws IOException, InterruptedException {
        prefetcher.close();
        remote.gate.countDown();
        awaitAbandonedTransfers();
        source.close();
    }

    /**
     * A fetch that ran out of its deadline is left to end on its own thread, and the open gate lets
     * it write into the test's store: wait for it, so the temporary directory is not deleted under it.
     */
    private static void awaitAbandonedTransfers() throws InterruptedException {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("kache-transfer")) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
    }

    private ArtifactKey upload(String crate, String seed) throws IOException {
        ArtifactKey key = new ArtifactKey(crate, Sha256.of(seed.getBytes(StandardCharsets.UTF_8)));
        Path dir = Files.createDirectories(temp.resolve("out-" + crate + "-" + key.shortKey()));
        Files.writeString(dir.resolve("lib" + crate + ".rlib"), "rlib of " + seed);
        source.put(key, List.of(new OutputFile("lib" + crate + ".rlib", dir.resolve("lib" + crate + ".rlib"))),
                new byte[0], new byte[0], Map.of());
        ByteArrayOutputStream pack = new ByteArrayOutputStream();
        assertTrue(source.exportPack(key, pack, 3));
        remote.backing.store(key, ArtifactSource.ofBytes(pack.toByteArray()));
        return key;
    }

    private void record(Set<ArtifactKey> entries) throws StoreException {
        RecordWriter.write(remote, new BuildRecord(1, "a-build", ID, entries));
    }

    private BuildPrefetcher.Job job(Path store) {
        BuildPrefetcher.Source src = new BuildPrefetcher.Source() {
            @Override
            public Optional<ArtifactStore> remote() {
                return Optional.of(remote);
            }

            @Override
            public Optional<BuildIdentity> identity() {
                return Optional.of(ID);
            }

            @Override
            public RemoteDestination destination() {
                return DESTINATION;
            }
        };
        return new BuildPrefetcher.Job(BUILD, src, store, 1L << 30, 2, Duration.ofSeconds(10));
    }

    /** A call's lookup: its entry, once imported into {@code store}. */
    private Supplier<Optional<ArtifactKey>> arrived(Path store, ArtifactKey key) {
        return () -> {
            try {
                return contains(store, key) ? Optional.of(key) : Optional.empty();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    private boolean contains(Path store, ArtifactKey key) throws IOException {
        try (LocalStore s = LocalStore.open(store, 1L << 30)) {
            return s.contains(key);
        }
    }

    @Test
    void aCallWaitsForItsEntryInFlightAndFindsItImported() throws Exception {
        ArtifactKey serde = upload("serde", "s");
        ArtifactKey syn = upload("syn", "y");
        record(Set.of(serde, syn));
        Path store = temp.resolve("fresh");
        prefetcher.start(job(store));
        assertTrue(remote.started.await(30, TimeUnit.SECONDS), "the prefetch fetches the record's entries");
        assertTrue(inFlight.inFlight(serde) || contains(store, serde));

        remote.gate.countDown();
        assertEquals(Optional.of(serde), prefetcher.await(BUILD, "serde", Duration.ofSeconds(30), arrived(store, serde)),
                "imported: the call's lookup hits");
        assertEquals(Optional.of(syn), prefetcher.await(BUILD, "syn", Duration.ofSeconds(30), arrived(store, syn)));
        assertEquals(Map.of(serde, 1, syn, 1), remote.loads);
        assertEquals(Optional.empty(), prefetcher.await("another-build", "serde", Duration.ofSeconds(1), () -> {
            throw new AssertionError("no prefetch: nothing to wait for, nothing to look up");
        }));
    }

    @Test
    void aReadThroughOfAnEntryInFlightWaitsForItInsteadOfAskingAgain() throws Exception {
        ArtifactKey serde = upload("serde", "s");
        record(Set.of(serde));
        prefetcher.start(job(temp.resolve("fresh")));
        assertTrue(remote.started.await(30, TimeUnit.SECONDS));

        // What RemoteReadThrough does with the entry key it computed.
        InFlightFetches.Claim readThrough = inFlight.claim(serde);
        assertFalse(readThrough.mine(), "the prefetch's fetch is in flight: the read-through joins it");
        remote.gate.countDown();
        assertTrue(readThrough.done().get(30, TimeUnit.SECONDS));
        assertEquals(Map.of(serde, 1), remote.loads, "one GET for the entry, whoever asked");
        assertFalse(inFlight.inFlight(serde));
    }

    @Test
    void aWaitingCallsCrateIsFetchedBeforeTheRestOfTheRecord() throws Exception {
        List<ArtifactKey> early = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            early.add(upload("a" + i, "a" + i));
        }
        // Last in the record's order (by crate name), as a proc-macro cargo needs first may be.
        ArtifactKey needed = upload("zz_macro", "z");
        Set<ArtifactKey> all = new java.util.HashSet<>(early);
        all.add(needed);
        record(all);
        Path store = temp.resolve("fresh");
        prefetcher.start(job(store));
        assertTrue(remote.started.await(30, TimeUnit.SECONDS), "two fetches (the job's concurrency) are held");

        // The call waits, briefly: its crate's fetches move to the front while the two are held.
        assertEquals(Optional.empty(), prefetcher.await(BUILD, "zz_macro", Duration.ofMillis(50), arrived(store, needed)),
                "still held: the call compiles, the fetch goes on");
        remote.gate.countDown();
        assertEquals(Optional.of(needed), prefetcher.await(BUILD, "zz_macro", Duration.ofSeconds(30),
                arrived(store, needed)));
        // Taken first by whichever of the two fetching threads is free first; the other takes the next
        // entry at about the same time, and either GET may reach the remote first.
        int position = remote.order.indexOf(needed);
        assertTrue(position >= 0 && position <= 3, "fetched right after the two in flight, not after the rest: "
                + position + " of " + remote.order);
    }

    /** Two build scripts' entries (every one is crate build_script_build) being prefetched into {@code store}; the other's held. */
    private record TwoBuildScripts(ArtifactKey mine, ArtifactKey another, Path store) {
    }

    private TwoBuildScripts prefetchingTwoBuildScripts() throws Exception {
        ArtifactKey mine = upload("build_script_build", "mine");
        ArtifactKey another = upload("build_script_build", "another");
        remote.held.add(another);
        record(Set.of(mine, another));
        Path store = temp.resolve("fresh");
        prefetcher.start(job(store));
        return new TwoBuildScripts(mine, another, store);
    }

    /** Waits as a call of build_script_build does, for its own entry, and checks it went on at once. */
    private void assertTheCallGoesOnWithItsOwnEntry(TwoBuildScripts b) throws Exception {
        long start = System.nanoTime();
        assertEquals(Optional.of(b.mine()), prefetcher.await(BUILD, "build_script_build", Duration.ofSeconds(30),
                arrived(b.store(), b.mine())));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10),
                "not held up by the other build script's fetch");
        assertTrue(inFlight.inFlight(b.another()), "the other one is still held");
        assertFalse(contains(b.store(), b.another()));
    }

    @Test
    void aCallOfACrateWithSeveralEntriesEndsItsWaitWhenItsOwnArrives() throws Exception {
        TwoBuildScripts b = prefetchingTwoBuildScripts();
        assertTrue(remote.started.await(30, TimeUnit.SECONDS));
        assertTheCallGoesOnWithItsOwnEntry(b);
    }

    @Test
    void aCallWhoseEntryLandedBeforeItWaitedGoesOnAtOnce() throws Exception {
        TwoBuildScripts b = prefetchingTwoBuildScripts();
        io.kache.testkit.Deadline.in(Duration.ofSeconds(30)).await("the call's entry to land", () -> {
            try {
                return contains(b.store(), b.mine()) && !inFlight.inFlight(b.mine());
            } catch (IOException e) {
                return false;
            }
        });
        assertTheCallGoesOnWithItsOwnEntry(b);
    }

    @Test
    void theWorkspaceReadAtTheServersStartServesTheFirstPrefetchOfItsTargetDirectoryOnce() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(io.kache.core.rustc.Executables.find("cargo", System.getenv(),
                temp).isPresent(), "needs cargo");
        Path ws = Files.createDirectories(temp.resolve("ws/src"));
        Files.writeString(ws.resolveSibling("Cargo.toml"), "[package]\nname = \"demo\"\nversion = \"0.1.0\"\n"
                + "edition = \"2021\"\n");
        Files.writeString(ws.resolve("lib.rs"), "");
        Path root = ws.getParent().toRealPath();
        prefetcher.readStartWorkspace(System.getenv(), root);
        Optional<io.kache.core.sync.cargo.ProjectCrates.Workspace> found = prefetcher.startWorkspace(root.resolve("target"));
        assertTrue(found.isPresent(), "the start's workspace, for its own target directory");
        assertEquals(List.of("demo"), List.copyOf(found.get().members()));
        assertFalse(prefetcher.startWorkspace(root.resolve("target")).isPresent(), "used once");

        prefetcher.readStartWorkspace(System.getenv(), root);
        assertFalse(prefetcher.startWorkspace(temp.resolve("elsewhere/target")).isPresent(), "another build's");
        assertFalse(prefetcher.startWorkspace(root.resolve("target")).isPresent(), "asked once, whoever asked");
    }

    @Test
    void aWaitEndsAtItsDeadlineAndTheCallMisses() throws Exception {
        ArtifactKey serde = upload("serde", "s");
        record(Set.of(serde));
        Path store = temp.resolve("fresh");
        prefetcher.start(job(store));
        assertTrue(remote.started.await(30, TimeUnit.SECONDS));

        long start = System.nanoTime();
        assertEquals(Optional.empty(), prefetcher.await(BUILD, "serde", Duration.ofMillis(300), arrived(store, serde)),
                "still in flight: this call compiles");
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(waited >= 250 && waited < 10_000, "waited about the deadline: " + waited + " ms");
    }

    /**
     * A remote whose bodies never come (a stalled connection, a hung share): the first fetch that
     * runs out of its deadline stops the prefetch, every entry not started is settled at once (no
     * call waits for it a deadline each), and the remote is left alone for the build.
     */
    @Test
    void aFetchThatRunsOutOfItsDeadlineStopsThePrefetchAndSilencesTheRemote() throws Exception {
        List<ArtifactKey> keys = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            keys.add(upload("crate" + i, "k" + i));
        }
        record(Set.copyOf(keys));
        Path store = temp.resolve("fresh");
        long start = System.nanoTime();
        prefetcher.start(new BuildPrefetcher.Job(BUILD, job(store).source(), store, 1L << 30, 2,
                Duration.ofMillis(500)));
        assertTrue(remote.started.await(30, TimeUnit.SECONDS));
        for (ArtifactKey key : keys) {
            long left = TimeUnit.SECONDS.toNanos(20) - (System.nanoTime() - start);
            while (inFlight.inFlight(key) && left > 0) {
                Thread.sleep(20);
                left = TimeUnit.SECONDS.toNanos(20) - (System.nanoTime() - start);
            }
            assertFalse(inFlight.inFlight(key), key + " settled");
        }
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(took < 5_000, "all settled within about one deadline, not one per entry: " + took + " ms");
        assertTrue(remote.loads.values().stream().mapToInt(Integer::intValue).sum() <= 2,
                "no fetch started after the first ran out of time: " + remote.loads);
        try (LocalStore s = LocalStore.open(store, 1L << 30)) {
            assertTrue(s.remoteHealth(DESTINATION).recentlyFailed(), "the remote is left alone for the build");
        }
    }

    /**
     * A large entry on a modest link: each fetch takes several deadlines, with bytes arriving all
     * along. Not a hung remote: every entry is imported and the remote stays in use.
     */
    @Test
    void aSlowButAnsweringRemoteIsNotGivenUp() throws Exception {
        List<ArtifactKey> keys = List.of(uploadLarge("big0", 256 * 1024), uploadLarge("big1", 256 * 1024));
        record(Set.copyOf(keys));
        remote.gate.countDown();
        remote.paceBytes = 16 * 1024;
        remote.paceMillis = 40;
        Path store = temp.resolve("fresh");
        prefetcher.start(new BuildPrefetcher.Job(BUILD, job(store).source(), store, 1L << 30, 2,
                Duration.ofMillis(250)));
        for (ArtifactKey key : keys) {
            assertEquals(Optional.of(key), prefetcher.await(BUILD, key.crateName(), Duration.ofSeconds(30),
                    arrived(store, key)), key + " imported");
        }
        try (LocalStore s = LocalStore.open(store, 1L << 30)) {
            assertFalse(s.remoteHealth(DESTINATION).recentlyFailed(), "the remote stays in use");
        }
    }

    /**
     * An object the remote refuses alone (S3's {@code 400 KeyTooLongError}) is its entry's miss: the
     * prefetch goes on with the others, and the remote stays in use.
     */
    @Test
    void anObjectTheRemoteRefusesAloneIsAMissAndTheOthersAreFetched() throws Exception {
        ArtifactKey serde = upload("serde", "s");
        ArtifactKey syn = upload("syn", "y");
        record(Set.of(serde, syn));
        remote.refused.put(serde, new io.kache.api.EntryRejectedException("GetObject of " + serde
                + " was rejected (400 KeyTooLongError)"));
        remote.gate.countDown();
        Path store = temp.resolve("fresh");
        prefetcher.start(job(store));

        assertEquals(Optional.empty(), prefetcher.await(BUILD, "serde", Duration.ofSeconds(30), arrived(store, serde)),
                "refused: this call compiles");
        assertEquals(Optional.of(syn), prefetcher.await(BUILD, "syn", Duration.ofSeconds(30), arrived(store, syn)));
        try (LocalStore s = LocalStore.open(store, 1L << 30)) {
            assertFalse(s.remoteHealth(DESTINATION).recentlyFailed(), "the remote stays in use");
        }
    }

    private ArtifactKey uploadLarge(String crate, int size) throws IOException {
        ArtifactKey key = new ArtifactKey(crate, Sha256.of(crate.getBytes(StandardCharsets.UTF_8)));
        Path dir = Files.createDirectories(temp.resolve("out-" + crate));
        byte[] bytes = new byte[size];
        new java.util.Random(crate.hashCode()).nextBytes(bytes);
        Files.write(dir.resolve("lib" + crate + ".rlib"), bytes);
        source.put(key, List.of(new OutputFile("lib" + crate + ".rlib", dir.resolve("lib" + crate + ".rlib"))),
                new byte[0], new byte[0], Map.of());
        ByteArrayOutputStream pack = new ByteArrayOutputStream();
        assertTrue(source.exportPack(key, pack, 3));
        remote.backing.store(key, ArtifactSource.ofBytes(pack.toByteArray()));
        return key;
    }

    /** Ten entries of 64 KiB (unpacked, as the store counts them) named by the record. */
    private List<ArtifactKey> tenEntriesOf64KiB() throws IOException {
        List<ArtifactKey> keys = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            keys.add(uploadLarge("crate" + i, 64 * 1024));
        }
        record(Set.copyOf(keys));
        remote.gate.countDown();
        return keys;
    }

    /** Runs a prefetch of one fetch at a time into {@code store} of cap {@code cap} until every claim is settled. */
    private void prefetchUntilSettled(Path store, long cap, List<ArtifactKey> keys) throws Exception {
        prefetcher.start(new BuildPrefetcher.Job(BUILD, job(store).source(), store, cap, 1, Duration.ofSeconds(10)));
        assertTrue(remote.started.await(30, TimeUnit.SECONDS), "the prefetch fetches the record's entries");
        io.kache.testkit.Deadline.in(Duration.ofSeconds(60)).await("every fetch to end",
                () -> keys.stream().noneMatch(inFlight::inFlight));
    }

    private static long cacheLines(String log) {
        return log.lines().filter(l -> l.contains("stopped at the local store's cap")).count();
    }

    /**
     * A record that names more than the local store's cap holds (640 KiB for 256 KiB): each import
     * past the cap would evict the prefetch's own first entries, which the build then misses and
     * downloads again. The prefetch stops once the next entry would pass 90% of the cap (the level an
     * eviction brings the store down to), says so once with the setting to raise, and everything it
     * brought is still there.
     */
    @Test
    void aPrefetchStopsAtTheStoresCapAndKeepsEverythingItBrought() throws Exception {
        List<ArtifactKey> keys = tenEntriesOf64KiB();
        Path store = temp.resolve("small");
        long cap = 256 * 1024;
        String log = io.kache.testkit.SystemErrCapture.of(() -> prefetchUntilSettled(store, cap, keys));

        List<ArtifactKey> fetched = List.copyOf(remote.order);
        int asked = fetched.size();
        assertTrue(asked >= 4, "three entries fit, the fourth was asked for to learn its size: " + fetched);
        try (LocalStore s = LocalStore.open(store, cap)) {
            for (ArtifactKey key : fetched.subList(0, 3)) {
                assertTrue(s.contains(key), key + ", brought first, is still there: " + s.list(Optional.empty()));
            }
            assertEquals(3, s.list(Optional.empty()).size(), "what fits under 90% of the cap, nothing more");
        }
        assertEquals(4, asked, "nothing asked for once an entry did not fit: " + fetched);
        assertEquals(1, cacheLines(log), "said once: " + log);
        assertTrue(log.contains("local_max_size") && log.contains("KACHE_MAX_SIZE"), "names what to raise: " + log);
        for (ArtifactKey key : keys) {
            assertFalse(inFlight.inFlight(key), "settled, so a call of " + key + " reads through as it would");
        }
    }

    @Test
    void aPrefetchIntoAStoreWithRoomBringsEverythingAndSaysNothingOfTheCap() throws Exception {
        List<ArtifactKey> keys = tenEntriesOf64KiB();
        Path store = temp.resolve("roomy");
        String log = io.kache.testkit.SystemErrCapture.of(() -> prefetchUntilSettled(store, 1L << 30, keys));

        try (LocalStore s = LocalStore.open(store, 1L << 30)) {
            for (ArtifactKey key : keys) {
                assertTrue(s.contains(key), key + " brought");
            }
        }
        assertEquals(keys.size(), remote.loads.size());
        assertTrue(remote.loads.values().stream().allMatch(n -> n == 1), "each asked once: " + remote.loads);
        assertEquals(0, cacheLines(log), log);
    }

    @Test
    void closingStopsThePrefetchAndSettlesEveryClaim() throws Exception {
        List<ArtifactKey> keys = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            keys.add(upload("crate" + i, "k" + i));
        }
        record(Set.copyOf(keys));
        prefetcher.start(job(temp.resolve("fresh")));
        assertTrue(remote.started.await(30, TimeUnit.SECONDS));
        InFlightFetches.Claim waiting = inFlight.claim(keys.get(5));
        assertFalse(waiting.mine(), "every entry of the record is claimed by the prefetch");

        prefetcher.close();
        assertFalse(waiting.done().get(30, TimeUnit.SECONDS), "settled as not fetched: nobody waits for it");
        for (ArtifactKey key : keys) {
            assertFalse(inFlight.inFlight(key), key + " is no longer in flight");
        }
        long start = System.nanoTime();
        Counted lookup = new Counted();
        assertEquals(Optional.empty(), prefetcher.await(BUILD, "crate5", Duration.ofSeconds(30), lookup));
        assertTrue(lookup.calls > 0, "the build was being prefetched: the call looked again");
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "a closed prefetch is not waited for");
        assertTrue(remote.loads.values().stream().mapToInt(Integer::intValue).sum() <= 2,
                "no fetch started after the close: " + remote.loads);
        prefetcher.start(new BuildPrefetcher.Job("later", job(temp.resolve("x")).source(), temp.resolve("x"),
                1L << 30, 2, Duration.ofSeconds(1)));
        assertEquals(Optional.empty(), prefetcher.await("later", "crate0", Duration.ofSeconds(1), () -> {
            throw new AssertionError("a closed prefetcher starts nothing: nothing to look up");
        }));
    }

    @Test
    void aHostileRecordCostsNothingAndAStaleOneStopsEarly() throws Exception {
        remote.gate.countDown();
        remote.records.put(ID.exactSlot(), ("{\"format\":\"kache-build-record-1\",\"created\":1,\"build\":\"b\","
                + "\"identity\":{\"toolchain\":\"tc\",\"target\":\"host\",\"profile\":\"debug\",\"rustflags\":\"none\","
                + "\"lock\":\"lock\",\"members\":\"members\"},\"entries\":[\"../../../etc/passwd\"]}")
                .getBytes(StandardCharsets.UTF_8));
        Path store = temp.resolve("fresh");
        prefetcher.start(job(store));
        Counted lookup = new Counted();
        assertEquals(Optional.empty(), prefetcher.await(BUILD, "passwd", Duration.ofSeconds(30), lookup));
        assertTrue(lookup.calls > 0, "the build was being prefetched: the call looked again");
        assertEquals(Map.of(), remote.loads, "a hostile record is ignored: no entry is asked for");
        assertFalse(Files.exists(temp.resolve("etc")));

        // A stale record naming entries the remote no longer has: the prefetch gives up.
        Set<ArtifactKey> gone = new java.util.HashSet<>();
        for (int i = 0; i < 200; i++) {
            gone.add(new ArtifactKey("gone", Sha256.of(("g" + i).getBytes(StandardCharsets.UTF_8))));
        }
        record(gone);
        BuildPrefetcher.Job stale = new BuildPrefetcher.Job("stale-build", job(store).source(), store, 1L << 30, 2,
                Duration.ofSeconds(10));
        prefetcher.start(stale);
        Counted staleLookup = new Counted();
        assertEquals(Optional.empty(), prefetcher.await("stale-build", "gone", Duration.ofSeconds(60), staleLookup));
        assertTrue(staleLookup.calls > 0, "the build was being prefetched: the call looked again");
        int asked = remote.loads.values().stream().mapToInt(Integer::intValue).sum();
        assertTrue(asked >= BuildPrefetcher.FRUITLESS_IN_A_ROW && asked <= BuildPrefetcher.FRUITLESS_IN_A_ROW + 2,
                "stops after " + BuildPrefetcher.FRUITLESS_IN_A_ROW + " misses in a row: " + asked);
        for (ArtifactKey key : gone) {
            assertFalse(inFlight.inFlight(key));
        }
    }

    /** A call's lookup that finds nothing and counts how often it was asked. */
    static final class Counted implements Supplier<Optional<ArtifactKey>> {
        volatile int calls;

        @Override
        public Optional<ArtifactKey> get() {
            calls++;
            return Optional.empty();
        }
    }

    /** An in-memory remote with build records that counts loads and holds them until {@link #gate} opens. */
    static final class GatedRemote implements ArtifactStore {
        final InMemoryArtifactStore backing = new InMemoryArtifactStore();
        final Map<String, byte[]> records = new ConcurrentHashMap<>();
        final Map<ArtifactKey, Integer> loads = new ConcurrentHashMap<>();
        final List<ArtifactKey> order = java.util.Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch gate = new CountDownLatch(1);
        final AtomicInteger loading = new AtomicInteger();
        /** When above 0, a load's body comes at most this many bytes per read, each after {@link #paceMillis}. */
        volatile int paceBytes;
        volatile long paceMillis;
        /** When not empty, only these keys wait for the gate. */
        final Set<ArtifactKey> held = ConcurrentHashMap.newKeySet();
        /** Loads of these keys throw their error, once the gate opens. */
        final Map<ArtifactKey, StoreException> refused = new ConcurrentHashMap<>();

        @Override
        public boolean load(ArtifactKey key, EntryReader reader) throws StoreException {
            loads.merge(key, 1, Integer::sum);
            order.add(key);
            started.countDown();
            try {
                if (held.isEmpty() || held.contains(key)) {
                    gate.await();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new io.kache.api.StoreUnavailableException("interrupted");
            }
            StoreException refusal = refused.get(key);
            if (refusal != null) {
                throw refusal;
            }
            int chunk = paceBytes;
            long millis = paceMillis;
            if (chunk <= 0) {
                return backing.load(key, reader);
            }
            // A link of limited pace: at most chunk bytes per read, each after millis.
            return backing.load(key, (in, size) -> reader.read(new java.io.FilterInputStream(in) {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    try {
                        Thread.sleep(millis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new java.io.InterruptedIOException();
                    }
                    return super.read(b, off, Math.min(len, chunk));
                }
            }, size));
        }

        @Override
        public void store(ArtifactKey key, ArtifactSource source) throws StoreException {
            backing.store(key, source);
        }

        @Override
        public boolean contains(ArtifactKey key) {
            return backing.contains(key);
        }

        @Override
        public Stream<ArtifactKey> list(String crateName) {
            return backing.list(crateName);
        }

        @Override
        public Stream<ArtifactKey> listAll() {
            return backing.listAll();
        }

        @Override
        public Optional<byte[]> readRecord(String slot, int maxBytes) {
            return Optional.ofNullable(records.get(slot));
        }

        @Override
        public void writeRecord(String slot, byte[] record) {
            records.put(slot, record);
        }

        @Override
        public void close() {
        }
    }
}
