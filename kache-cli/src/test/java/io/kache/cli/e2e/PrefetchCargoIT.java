package io.kache.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactStore;
import io.kache.api.StoreProviders;
import io.kache.core.remote.RemoteStores;
import io.kache.core.sync.records.BuildRecord;
import io.kache.testkit.SpyRustc;
import io.kache.testkit.s3.RecordedRequest;
import io.kache.testkit.s3.S3TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fresh CI runner that only sets {@code RUSTC_WRAPPER} (issue 15 §2), with real cargo and a real
 * S3 server: machine A builds and pushes its entries with its build record; machine B (empty store,
 * another checkout path, through bin/kache and the kache server, read-through only, never a sync)
 * builds. B's server, its store empty, may warm its remote up as it starts (one GET of a record no
 * build has), reads B's build record from its first call and prefetches the record's entries in the order
 * A's build used them: every crate hits, and B's GETs are the warm-up, the record and the record's
 * entries, each once.
 */
class PrefetchCargoIT {

    private static final String BUCKET = "prefetch";
    private static final Pattern WRITTEN = Pattern.compile("written ([0-9a-f]{32}) and ([0-9a-f]{32}): (\\d+) entries");

    @TempDir
    Path tmp;
    S3TestServer server;

    @BeforeEach
    void setUp() throws Exception {
        server = S3TestServer.start(tmp.resolve("s3"), "AKIDPREFETCH", "prefetch-secret");
        server.createBucket(BUCKET);
    }

    @AfterEach
    void tearDown() throws Exception {
        KacheLauncher.awaitOwnServer(tmp);
        server.close();
    }

    private Map<String, String> remote() {
        return Map.of("KACHE_S3_BUCKET", BUCKET,
                "KACHE_S3_ENDPOINT", server.endpoint().toString(),
                "KACHE_S3_REGION", S3TestServer.REGION,
                "KACHE_S3_ACCESS_KEY", server.accessKey(),
                "KACHE_S3_SECRET_KEY", server.secretKey());
    }

    /** A's {@code kache sync --push}, at the first record it says it wrote (slots and entry count). */
    private Matcher pushWithRecord(DemoWorkspace a, Path jvm) throws Exception {
        Map<String, String> pushEnv = new HashMap<>(a.env);
        pushEnv.putAll(remote());
        CargoRun.Result push = CargoRun.run(a.dir, pushEnv, jvm.toString(), "sync", "--push", "--json")
                .assertOk("push on A");
        Matcher written = WRITTEN.matcher(push.stdout());
        assertTrue(written.find(), "A's push wrote a build record: " + push.stdout());
        return written;
    }

    @Test
    void aFreshServerBuildPrefetchesItsRecordAndHitsEveryCrateWithOneGetEach() throws Exception {
        Path serverLauncher = KacheLauncher.repositoryLauncher();
        Path jvm = KacheLauncher.create(Files.createDirectories(tmp.resolve("bin")));

        SpyRustc spyA = SpyRustc.create(tmp.resolve("spy-a"));
        DemoWorkspace a = DemoWorkspace.copyTo(tmp.resolve("a/work/demo"), jvm, spyA, tmp.resolve("a/store"),
                DemoWorkspace.machinesConfigHome(tmp));
        a.cargo("build").assertOk("build on A");
        String expected = a.runApp(a.dir.resolve("target"), "debug");
        assertEquals(List.of("app", "build_script_build", "core_lib", "macros"), spyA.takeCompiled());
        Matcher written = pushWithRecord(a, jvm);
        String exactSlot = written.group(1);
        assertEquals("4", written.group(3), written.group());
        // The record lists the entries in the order A's build used them, which B's prefetch follows:
        // the app, which needs all the others, comes last (by name it came first).
        try (ArtifactStore remote = RemoteStores.open(Optional.of(server.remoteSettings(BUCKET, "artifacts")),
                StoreProviders.discover(getClass().getClassLoader())).orElseThrow()) {
            BuildRecord record = BuildRecord.decode(remote.readRecord(exactSlot, BuildRecord.MAX_BYTES).orElseThrow());
            List<String> order = record.entries().stream().map(ArtifactKey::crateName).toList();
            assertEquals(4, order.size(), order.toString());
            assertEquals("app", order.get(3), "the app's entry last, as A's build used it: " + order);
        }

        server.clearRequests();
        SpyRustc spyB = SpyRustc.create(tmp.resolve("spy-b"));
        DemoWorkspace b = DemoWorkspace.copyTo(tmp.resolve("b/elsewhere/deeper/demo"), serverLauncher, spyB,
                tmp.resolve("b/store"), DemoWorkspace.machinesConfigHome(tmp));
        b.env.putAll(remote());
        b.env.putAll(KacheLauncher.ownServer(tmp));
        b.cargo("build").assertOk("build on B, read-through only");
        assertEquals(List.of(), spyB.takeCompiled(), "B compiles nothing: every entry came from the remote");
        assertEquals(expected, b.runApp(b.dir.resolve("target"), "debug"));

        List<String> gets = server.requests().stream().filter(r -> r.method().equals("GET") && !r.isList())
                .map(RecordedRequest::path).toList();
        List<String> entryGets = gets.stream().filter(p -> p.endsWith(".tar.zst")).toList();
        // B's server, its store empty, may have asked for a record no build has as it started (the
        // warm-up), unless the build's prefetch had started first.
        String warmUp = "/artifacts/kache-builds/" + "0".repeat(32) + ".json";
        long warmUps = gets.stream().filter(p -> p.endsWith(warmUp)).count();
        assertTrue(warmUps <= 1, "at most one warm-up: " + gets);
        List<String> recordGets = gets.stream().filter(p -> p.contains("/kache-builds/") && !p.endsWith(warmUp))
                .toList();
        assertEquals(4, entryGets.size(), "the record's 4 entries, each fetched once: " + gets);
        assertEquals(4, new HashSet<>(entryGets).size(), "no entry fetched twice: " + gets);
        assertEquals(1, recordGets.size(), "one record read: " + gets);
        assertTrue(recordGets.get(0).endsWith("/artifacts/kache-builds/" + exactSlot + ".json"),
                "the exact slot: " + gets);
        assertEquals(5 + warmUps, gets.size(), "nothing else is read: " + gets);
        assertEquals(List.of(), server.listRequests(), "no listing");
    }

    /**
     * A fresh runner's {@code cargo clippy} prefetches the clippy's own record: cargo-clippy runs its
     * build as a {@code cargo check}, whose command line the calls' cargo shows, and a prefetch that
     * went by it read the check's slots, which hold no clippy entry.
     */
    @Test
    void aFreshServerClippyPrefetchesTheClippysOwnRecord() throws Exception {
        Path jvm = KacheLauncher.create(Files.createDirectories(tmp.resolve("bin")));
        DemoWorkspace a = DemoWorkspace.copyTo(tmp.resolve("a/work/demo"), jvm, SpyRustc.create(tmp.resolve("spy-a")),
                tmp.resolve("a/store"), DemoWorkspace.machinesConfigHome(tmp));
        a.cargo("clippy").assertOk("clippy on A");
        Matcher written = pushWithRecord(a, jvm);
        String exactSlot = written.group(1);
        int entries = Integer.parseInt(written.group(3));
        String first = written.group();
        assertFalse(written.find(), "one record, the clippy's: " + first);

        server.clearRequests();
        DemoWorkspace b = DemoWorkspace.copyTo(tmp.resolve("b/elsewhere/demo"), KacheLauncher.repositoryLauncher(),
                SpyRustc.create(tmp.resolve("spy-b")), tmp.resolve("b/store"), DemoWorkspace.machinesConfigHome(tmp));
        b.env.putAll(remote());
        b.env.putAll(KacheLauncher.ownServer(tmp));
        b.cargo("clippy").assertOk("clippy on B, read-through only");

        List<String> gets = server.requests().stream().filter(r -> r.method().equals("GET") && !r.isList())
                .map(RecordedRequest::path).toList();
        String warmUp = "/artifacts/kache-builds/" + "0".repeat(32) + ".json";
        List<String> recordGets = gets.stream().filter(p -> p.contains("/kache-builds/") && !p.endsWith(warmUp))
                .toList();
        assertEquals(List.of("/" + BUCKET + "/artifacts/kache-builds/" + exactSlot + ".json"),
                recordGets.stream().map(p -> p.substring(p.indexOf("/" + BUCKET + "/"))).toList(),
                "the clippy's exact slot, read once: " + gets);
        List<String> entryGets = gets.stream().filter(p -> p.endsWith(".tar.zst")).toList();
        assertEquals(entries, entryGets.size(), "the record's entries, each once: " + gets);
        assertEquals(entries, new HashSet<>(entryGets).size(), "no entry fetched twice: " + gets);
    }
}
