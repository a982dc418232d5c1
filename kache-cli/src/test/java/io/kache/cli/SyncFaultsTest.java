package io.kache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactStore;
import io.kache.core.config.ConfigLoader;
import io.kache.core.config.KacheConfig;
import io.kache.core.remote.RemoteDestination;
import io.kache.core.remote.RemoteStores;
import io.kache.core.remote.RetryPolicy;
import io.kache.core.store.LocalStore;
import io.kache.core.store.RemoteHealth;
import io.kache.core.sync.Direction;
import io.kache.core.sync.SyncExecutor;
import io.kache.core.sync.SyncListener;
import io.kache.core.sync.SyncOptions;
import io.kache.core.sync.SyncPlan;
import io.kache.core.sync.SyncPlanner;
import io.kache.core.sync.SyncResult;
import io.kache.core.sync.TransferOutcome;
import io.kache.core.sync.TransferOutcome.Status;
import io.kache.core.sync.cargo.ProjectCrates;
import io.kache.testkit.s3.FaultProxy;
import io.kache.testkit.s3.RecordedRequest;
import io.kache.testkit.s3.S3TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sync against a real S3 server that misbehaves: damaged objects, throttling, a crash, read-only keys. */
class SyncFaultsTest {

    @TempDir
    Path tmp;
    SyncWorld world;
    SyncWorld.Machine a;
    final List<ArtifactKey> remote = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        world = new SyncWorld(tmp);
        a = world.machine("a");
        for (int i = 0; i < 8; i++) {
            remote.add(a.put(SyncWorld.key(i % 2 == 0 ? "app" : "core_lib", "e" + i), 2_000 + i * 5_000));
        }
        CliRun push = a.kache("sync", "--push");
        assertEquals(0, push.exit(), push.toString());
    }

    @AfterEach
    void tearDown() {
        world.close();
    }

    private static long count(String text, String needle) {
        return text.lines().filter(l -> l.contains(needle)).count();
    }

    /** Every entry in the machine's store is complete: its pack exports, blobs and all. */
    private static void assertConsistent(SyncWorld.Machine m) throws Exception {
        try (LocalStore s = m.open()) {
            for (var e : s.list(Optional.empty())) {
                assertTrue(s.exportPack(e.key(), OutputStream.nullOutputStream(), 1), "complete: " + e.key());
            }
        }
        assertEquals(0, m.tempFiles(), "no temporary files left in the store");
    }

    @Test
    void corruptedAndTruncatedObjectsAreReportedTheRestIsKept() throws Exception {
        ArtifactKey flipped = SyncWorld.key("app", "flipped");
        ArtifactKey cut = SyncWorld.key("macros", "cut");
        // Valid packs of their own keys, made on a machine that never pushes, then damaged in the bucket.
        SyncWorld.Machine maker = world.machine("maker");
        byte[] damaged = maker.pack(maker.put(flipped, 30_000));
        damaged[damaged.length / 2] ^= 0x01;
        world.putObject(SyncWorld.LAYOUT.objectName(flipped), damaged);
        byte[] whole = maker.pack(maker.put(cut, 30_000));
        world.putObject(SyncWorld.LAYOUT.objectName(cut), Arrays.copyOf(whole, whole.length - 40));
        SyncWorld.Machine b = world.machine("b");

        CliRun pull = b.kache("sync", "--pull");

        assertEquals(SyncCommand.EXIT_INCOMPLETE, pull.exit(), pull.toString());
        assertTrue(pull.out().contains("pulled: 8 done"), pull.out());
        for (ArtifactKey bad : List.of(flipped, cut)) {
            assertEquals(1, count(pull.out(), "failed: pull " + bad.crateName() + " " + bad.shortKey()), pull.out());
        }
        assertEquals(2, count(pull.out(), "corrupted pack for entry"), pull.out());
        assertFalse(pull.out().contains("holds entry"), "each object is damaged, not misplaced: " + pull.out());
        assertEquals(new HashSet<>(remote), new HashSet<>(b.keys()), "what verified is kept, nothing else");
        assertConsistent(b);

        CliRun partial = b.kache("sync", "--pull", "--allow-partial");
        assertEquals(0, partial.exit(), partial.toString());
        assertTrue(partial.out().contains("2 failed"), partial.out());
    }

    /**
     * Bodies that come a byte at a time never let a read wait out the socket timeout: each download
     * fails on its own bound (the remote's timeout, then a minimum rate), the remote is given up after
     * three, and the pull ends within a few timeouts with every entry reported.
     */
    @Test
    void aPullOfBodiesThatTrickleEndsWithinAFewTimeoutsAndReportsEachEntry() throws Exception {
        Duration timeout = Duration.ofSeconds(2);
        try (FaultProxy proxy = FaultProxy.start(world.server.endpoint())) {
            proxy.trickleBodies(Duration.ofMillis(100));
            SyncWorld.Machine b = world.machine("b", proxy.endpoint(), SyncWorld.ACCESS_KEY, SyncWorld.SECRET_KEY);
            Path config = Path.of(b.env().get("XDG_CONFIG_HOME"), "kache", "config.toml");
            Files.createDirectories(config.getParent());
            Files.writeString(config, "[cache.remote]\ntype = \"s3\"\ntimeout = \"" + timeout.toSeconds() + "s\"\n");
            long begin = System.nanoTime();
            CliRun pull = assertTimeoutPreemptively(Duration.ofSeconds(90), () -> b.kache("sync", "--pull"),
                    "a pull of trickling bodies must end");
            Duration took = Duration.ofNanos(System.nanoTime() - begin);
            assertEquals(SyncCommand.EXIT_INCOMPLETE, pull.exit(), pull.toString());
            assertTrue(took.compareTo(timeout.multipliedBy(3).plus(SilentRemoteTest.SLACK)) <= 0,
                    "took " + took + "\n" + pull);
            assertTrue(pull.out().contains("slower than"), pull.out());
            assertEquals(remote.size(), count(pull.out(), "failed: pull "), pull.out());
            assertTrue(b.keys().isEmpty(), "nothing of a body given up is kept");
        }
    }

    /**
     * A served sync whose client is gone is interrupted (the server's ClientWatch): its downloads stop
     * at their next read, also bodies that trickle, which neither a read timeout nor interruption of a
     * blocking read would end. Before, they went on for nobody until the server's idle exit.
     */
    @Test
    void anInterruptedPullStopsItsTricklingDownloads() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(world.server.endpoint())) {
            SyncWorld.Machine b = world.machine("b", proxy.endpoint(), SyncWorld.ACCESS_KEY, SyncWorld.SECRET_KEY);
            KacheConfig config = ConfigLoader.load(b.env(), b.project());
            try (ArtifactStore store = RemoteStores.open(config, b.env()).orElseThrow(); LocalStore local = b.open()) {
                RetryPolicy quick = new RetryPolicy(1, Duration.ofMillis(20), Duration.ofMillis(20));
                SyncPlan plan = new SyncPlanner(store, local, 8, quick).plan(ProjectCrates.everything(), true, false);
                proxy.trickleBodies(Duration.ofMillis(50));
                Thread sync = new Thread(() -> new SyncExecutor(store, local,
                        new SyncOptions(8, 3, quick, Optional.empty())).execute(plan, SyncListener.NONE));
                sync.start();
                io.kache.testkit.Deadline.in(Duration.ofSeconds(20)).await("downloads to trickle",
                        () -> proxy.trickling() > 0);
                sync.interrupt();
                sync.join(Duration.ofSeconds(10).toMillis());
                assertFalse(sync.isAlive(), "the interrupted sync returned");
                io.kache.testkit.Deadline.in(Duration.ofSeconds(5)).await("the downloads to stop",
                        () -> proxy.trickling() == 0);
            }
        }
    }

    /** Two 503 SlowDown answers fit in one request's attempts, wherever they fall. */
    @Test
    void aBurstOf503SlowDownIsRetriedWithinEachRequestsAttempts() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(world.server.endpoint())) {
            proxy.throttleNext(2);
            SyncWorld.Machine b = world.machine("b", proxy.endpoint(), SyncWorld.ACCESS_KEY, SyncWorld.SECRET_KEY);
            CliRun pull = b.kache("sync", "--pull");
            assertEquals(0, pull.exit(), pull.toString());
            assertEquals(2, proxy.throttled(), "every throttled answer was used");
            assertEquals(new HashSet<>(remote), new HashSet<>(b.keys()));
            assertConsistent(b);
        }
    }

    /**
     * A server answering 5xx to everything: each listing is one request with the S3 client's three
     * attempts, never retried again by sync on top (that made 12); after three failed listings the
     * remote is given up and the other crates are reported without a request.
     */
    @Test
    void aServerFailingEverythingGetsAtMostThreeRequestsPerListing() throws Exception {
        SyncWorld.Machine b = world.machine("b");
        world.server.clearRequests();
        world.server.failNextRequests(Integer.MAX_VALUE);

        long begin = System.nanoTime();
        CliRun pull = b.kache("sync", "--pull");
        double wallSeconds = (System.nanoTime() - begin) / 1e9;

        assertEquals(SyncCommand.EXIT_INCOMPLETE, pull.exit(), pull.toString());
        Map<String, Long> perListing = world.server.listRequests().stream()
                .collect(Collectors.groupingBy(r -> r.queryParameter("prefix"), Collectors.counting()));
        assertFalse(perListing.isEmpty());
        perListing.forEach((prefix, n) -> assertTrue(n <= 3, n + " requests listing " + prefix + ": " + perListing));
        Set<String> crates = ProjectCrates.discover(b.project(), Optional.empty(), b.env()).pull().orElseThrow();
        for (String crate : crates) {
            assertEquals(1, count(pull.out(), "failed: listing crate " + crate + " failed: "), pull.out());
        }
        assertEquals(0, b.keys().size());
        // The crates whose listing failed are failures of the pull, and the time said is the command's.
        assertTrue(pull.out().contains("pulled: 0 done (0 B), 0 skipped, " + crates.size() + " failed"), pull.out());
        assertFalse(pull.out().contains("pushed:"), "a pull-only sync has no push line: " + pull.out());
        java.util.regex.Matcher took = java.util.regex.Pattern.compile(" in ([0-9.]+) s ").matcher(pull.out());
        assertTrue(took.find(), pull.out());
        assertTrue(Double.parseDouble(took.group(1)) >= wallSeconds - 0.3,
                "said " + took.group(1) + " s for a command of " + wallSeconds + " s: " + pull.out());
    }

    @Test
    void aServerThatStopsMidPullFailsTheRestKeepsWhatArrivedAndALaterSyncFinishes() throws Exception {
        SyncWorld.Machine b = world.machine("b");
        KacheConfig config = ConfigLoader.load(b.env(), b.project());
        AtomicInteger done = new AtomicInteger();
        SyncListener stopAfterThree = new SyncListener() {
            @Override
            public void finished(TransferOutcome outcome) {
                if (outcome.status() == Status.DONE && done.incrementAndGet() == 3) {
                    world.server.stop();
                }
            }
        };
        SyncResult result;
        try (ArtifactStore store = RemoteStores.open(config, b.env()).orElseThrow(); LocalStore local = b.open()) {
            RetryPolicy quick = new RetryPolicy(2, Duration.ofMillis(20), Duration.ofMillis(20));
            SyncPlan plan = new SyncPlanner(store, local, 1, quick).plan(ProjectCrates.everything(), true, false);
            assertEquals(8, plan.pulls().size());
            result = new SyncExecutor(store, local, new SyncOptions(1, 3, quick, Optional.empty()))
                    .execute(plan, stopAfterThree);
        }
        assertEquals(3, result.count(Direction.PULL, Status.DONE));
        assertEquals(5, result.count(Direction.PULL, Status.FAILED), "every scheduled transfer ran to its end");
        for (TransferOutcome f : result.failures()) {
            assertEquals(2, f.attempts(), "an unreachable server is retried: " + f);
            assertTrue(f.detail().contains(world.server.endpoint().toString()), f.detail());
        }
        assertEquals(3, b.keys().size());
        assertConsistent(b);

        try (S3TestServer again = S3TestServer.start(world.server.directory(), SyncWorld.ACCESS_KEY,
                SyncWorld.SECRET_KEY)) {
            Map<String, String> env = new java.util.HashMap<>(b.env());
            env.put("KACHE_S3_ENDPOINT", again.endpoint().toString());
            CliRun rest = CliRun.of(env, b.project(), "sync", "--pull");
            assertEquals(0, rest.exit(), rest.toString());
            assertTrue(rest.out().contains("pulled: 5 done"), rest.out());
            assertEquals(new HashSet<>(remote), new HashSet<>(b.keys()));
        }
    }

    /**
     * A proxy in front of the remote refuses one entry's upload as too large, with a bare 413: that
     * entry's push fails, named with the reason; the others are pushed; the remote is not reported
     * as refusing the push, nor its configuration as wrong. Before, the push was refused as a whole
     * ("was rejected by", the remaining pushes skipped).
     */
    @Test
    void anEntryAProxyRefusesAsTooLargeFailsAloneAndTheOthersArePushed() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(world.server.endpoint())) {
            SyncWorld.Machine b = world.machine("b", proxy.endpoint(), SyncWorld.ACCESS_KEY, SyncWorld.SECRET_KEY);
            ArtifactKey big = b.put(SyncWorld.key("app", "big"), 40_000);
            List<ArtifactKey> others = List.of(b.put(SyncWorld.key("app", "b1"), 1_000),
                    b.put(SyncWorld.key("core_lib", "b2"), 1_000), b.put(SyncWorld.key("app", "b3"), 1_000));
            proxy.refuseUploadsOf(SyncWorld.LAYOUT.objectName(big));

            CliRun push = b.kache("sync", "--push");

            assertEquals(SyncCommand.EXIT_INCOMPLETE, push.exit(), push.toString());
            assertTrue(push.out().contains("pushed: 3 done") && push.out().contains("0 skipped, 1 failed"),
                    push.out());
            assertEquals(1, count(push.out(), "failed: push app " + big.shortKey()), push.out());
            assertEquals(1, count(push.out(), "HTTP 413"), push.out());
            assertTrue(push.out().contains("body-size limit"), push.out());
            assertFalse(push.all().contains("refused"), push.toString());
            assertFalse(push.all().contains("[cache.remote]") || push.all().contains("kache config"),
                    "no advice to fix the configuration: " + push);
            KacheConfig config = ConfigLoader.load(a.env(), a.project());
            try (ArtifactStore store = RemoteStores.open(config, a.env()).orElseThrow()) {
                for (ArtifactKey k : others) {
                    assertTrue(store.contains(k), "pushed: " + k);
                }
                assertFalse(store.contains(big));
            }
            assertTrue(b.keys().contains(big), "the rejected entry stays in the local store");

            CliRun json = b.kache("sync", "--push", "--json");
            assertEquals(SyncCommand.EXIT_INCOMPLETE, json.exit(), json.toString());
            assertTrue(json.out().contains("\"refusals\": {}"), json.out());
            String line = json.out().lines().filter(l -> l.contains(big.shortKey())).findFirst().orElseThrow();
            assertTrue(line.contains("\"status\": \"failed\"") && line.contains("HTTP 413"), line);
        }
    }

    @Test
    void readOnlyCredentialsPullButAPushIsRefusedOnceNamingRemoteReadonly() throws Exception {
        try (S3TestServer readOnly = world.server.startReadOnly("AKIDREADONLY", "read-only-secret")) {
            SyncWorld.Machine c = world.machine("c", readOnly.endpoint(), "AKIDREADONLY", "read-only-secret");
            List<ArtifactKey> own = List.of(c.put(SyncWorld.key("app", "c1"), 1_000),
                    c.put(SyncWorld.key("app", "c2"), 1_000), c.put(SyncWorld.key("core_lib", "c3"), 1_000));

            CliRun sync = c.kache("sync");

            assertEquals(SyncCommand.EXIT_INCOMPLETE, sync.exit(), sync.toString());
            assertTrue(sync.out().contains("pulled: 8 done"), sync.out());
            assertEquals(1, count(sync.all(), "remote_readonly"), sync.toString());
            assertEquals(1, count(sync.out(), "refused: push refused: access denied"), sync.out());
            assertFalse(sync.out().contains("failed: push"), "the refusal is not repeated per entry: " + sync.out());
            // Distinct objects: the HTTP client may resend one PUT on a stale loopback connection.
            long puts = readOnly.requests().stream().filter(r -> r.method().equals("PUT")).map(r -> r.path())
                    .distinct().count();
            assertTrue(puts >= 1 && puts <= 3, "no push starts after the refusal: " + readOnly.requests());
            assertTrue(new HashSet<>(c.keys()).containsAll(own), "the local store keeps its entries");
            assertEquals(11, c.keys().size());
            assertConsistent(c);

            CliRun partial = c.kache("sync", "--push", "--allow-partial");
            assertEquals(0, partial.exit(), partial.toString());
            assertEquals(1, count(partial.all(), "remote_readonly"), partial.toString());
        }
    }

    /**
     * The uploader records a refused upload (RemoteHealth); once the credentials may write, a push the
     * remote takes clears it, so stats stops telling the user to fix what is fixed. A refused push keeps it.
     */
    @Test
    void aPushTheRemoteTakesClearsAnUploadRefusalARefusedOneKeepsIt() throws Exception {
        try (S3TestServer readOnly = world.server.startReadOnly("AKIDREADONLY", "read-only-secret")) {
            SyncWorld.Machine ro = world.machine("ro", readOnly.endpoint(), "AKIDREADONLY", "read-only-secret");
            ro.put(SyncWorld.key("app", "ro1"), 1_000);
            markUploadRefused(ro);
            assertEquals(SyncCommand.EXIT_INCOMPLETE, ro.kache("sync", "--push").exit());
            assertTrue(uploadRefusal(ro).isPresent(), "the remote still refuses: the refusal stays");
        }
        SyncWorld.Machine c = world.machine("c");
        c.put(SyncWorld.key("app", "c1"), 1_000);
        markUploadRefused(c);
        assertTrue(c.kache("stats").out().contains("refused the upload of entries at "));

        CliRun push = c.kache("sync", "--push");

        assertEquals(0, push.exit(), push.toString());
        assertEquals(Optional.empty(), uploadRefusal(c));
        CliRun stats = c.kache("stats");
        assertFalse(stats.out().contains("refused the upload"), stats.out());
    }

    private static RemoteDestination destination(SyncWorld.Machine m) {
        return RemoteDestination.of(ConfigLoader.load(m.env(), m.project()).remoteSettings().orElseThrow());
    }

    /** What the uploader records when the remote answers its upload with access denied. */
    private static void markUploadRefused(SyncWorld.Machine m) throws IOException {
        try (LocalStore s = m.open()) {
            s.remoteHealth(destination(m)).markWriteRefused("access denied: PutObject on kache (403 AccessDenied)");
        }
    }

    private static Optional<RemoteHealth.Refusal> uploadRefusal(SyncWorld.Machine m) throws IOException {
        try (LocalStore s = m.open()) {
            return s.remoteHealth(destination(m)).writeRefused();
        }
    }

    @Test
    void remoteReadonlySkipsThePushOfAPlainSyncAndRefusesAnExplicitOne() throws Exception {
        SyncWorld.Machine c = world.machine("c");
        c.put(SyncWorld.key("app", "c1"), 1_000);
        world.server.clearRequests();

        CliRun plain = c.kache(Map.of("KACHE_REMOTE_READONLY", "1"), "sync");
        assertEquals(0, plain.exit(), plain.toString());
        assertTrue(plain.err().contains("push skipped: remote_readonly is set"), plain.err());
        assertTrue(plain.out().contains("pulled: 8 done"), plain.out());

        CliRun push = c.kache(Map.of("KACHE_REMOTE_READONLY", "1"), "sync", "--push");
        assertEquals(SyncCommand.EXIT_INCOMPLETE, push.exit(), push.toString());
        assertEquals(1, count(push.out(), "remote_readonly"), push.out());
        assertTrue(world.server.requests().stream().noneMatch(r -> r.method().equals("PUT")),
                "read-only mode never sends a write: " + world.server.requests());
        assertTrue(world.server.requests().stream().anyMatch(RecordedRequest::isList));
    }
}
