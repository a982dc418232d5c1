package io.kache.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.core.writeback.UploadPacing;
import io.kache.testkit.Deadline;
import io.kache.testkit.SpyRustc;
import io.kache.testkit.s3.S3TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Read-through and write-back during builds, with real cargo: machine A builds and its entries
 * reach the remote in the background; machine B (its own store, another checkout path) builds and
 * every compile is served from the remote without any pull.
 */
class RemoteCacheCargoIT {

    static final String EXPECTED = "Hello, kache generated=42 flavor=plain tokens=3\n";

    @TempDir
    Path tmp;

    private Path kache;
    private SpyRustc spy;

    /** How cargo reaches kache: here a JVM per call; {@link ServerRemoteCacheCargoIT} uses the server. */
    Path launcher(Path binDir) throws Exception {
        return KacheLauncher.create(binDir);
    }

    /** Extra environment for every build of {@code machine}. */
    Map<String, String> launcherEnv(Path machine) {
        return Map.of();
    }

    @BeforeEach
    void setUp() throws Exception {
        kache = launcher(Files.createDirectories(tmp.resolve("bin")));
        spy = SpyRustc.create(tmp.resolve("spy"));
    }

    DemoWorkspace machine(String name, Map<String, String> remoteEnv) throws IOException {
        DemoWorkspace ws = DemoWorkspace.copyTo(tmp.resolve(name + "/checkout"), kache, spy,
                tmp.resolve(name + "/store"), DemoWorkspace.machinesConfigHome(tmp));
        ws.env.putAll(remoteEnv);
        ws.env.putAll(launcherEnv(tmp.resolve(name)));
        return ws;
    }

    @Test
    void aSecondMachineReadsThroughFromAFilesystemRemote() throws Exception {
        Path config = tmp.resolve("kache.toml");
        Files.writeString(config, "[cache.remote]\ntype = \"filesystem\"\npath = \"" + tmp.resolve("share") + "\"\n");
        Files.createDirectories(tmp.resolve("share"));
        Map<String, String> remote = Map.of("KACHE_CONFIG", config.toString());
        assertSecondMachineHitsEverything(remote);
        try (Stream<Path> crates = Files.list(tmp.resolve("share/artifacts"))) {
            // Beside the crates, the write-back's build records (kache-builds, never a crate name).
            assertEquals(List.of("app", "build_script_build", "core_lib", "macros"),
                    crates.map(p -> p.getFileName().toString()).filter(n -> !n.equals("kache-builds")).sorted().toList());
        }
    }

    @Test
    void aSecondMachineReadsThroughFromS3() throws Exception {
        try (S3TestServer server = S3TestServer.start(tmp.resolve("s3"), "AKIDKACHETEST", "kache-test-secret")) {
            server.createBucket("build-cache");
            Map<String, String> remote = Map.of(
                    "KACHE_S3_BUCKET", "build-cache",
                    "KACHE_S3_ENDPOINT", server.endpoint().toString(),
                    "KACHE_S3_REGION", S3TestServer.REGION,
                    "KACHE_S3_ACCESS_KEY", server.accessKey(),
                    "KACHE_S3_SECRET_KEY", server.secretKey(),
                    // On a loaded machine a first S3 lookup (SDK start) can pass the 3 s default, and
                    // the build then gives the remote up: no read-through, no uploader. That is
                    // aBuildWithTheRemoteDownSucceedsAndAsksItOnlyOnce's subject, not this test's.
                    "KACHE_REMOTE_DEADLINE", "60s");
            assertSecondMachineHitsEverything(remote);
        }
    }

    private void assertSecondMachineHitsEverything(Map<String, String> remote) throws Exception {
        DemoWorkspace a = machine("a", remote);
        a.cargo("build").assertOk("machine A");
        assertEquals(List.of("app", "build_script_build", "core_lib", "macros"), spy.takeCompiled());
        awaitUploads(tmp.resolve("a/store"));

        DemoWorkspace b = machine("b", remote);
        b.cargo("build").assertOk("machine B");
        assertEquals(List.of(), spy.takeCompiled(), "machine B compiles nothing: every entry comes from the remote");
        assertEquals(EXPECTED, b.runApp(b.dir.resolve("target"), "debug"));
    }

    /**
     * The write-back waits for the build to leave the store alone, then sends everything: each entry
     * of the build reaches the bucket within the bound docs/sync.md states (2.25 s after the build's
     * last rustc call, plus the uploads themselves; 30 s allowed for those and a loaded machine).
     */
    @Test
    void afterABuildEveryEntryReachesTheBucketWithinTheBound() throws Exception {
        try (S3TestServer server = S3TestServer.start(tmp.resolve("s3"), "AKIDKACHETEST", "kache-test-secret")) {
            server.createBucket("build-cache");
            DemoWorkspace a = machine("a", Map.of(
                    "KACHE_S3_BUCKET", "build-cache",
                    "KACHE_S3_ENDPOINT", server.endpoint().toString(),
                    "KACHE_S3_REGION", S3TestServer.REGION,
                    "KACHE_S3_ACCESS_KEY", server.accessKey(),
                    "KACHE_S3_SECRET_KEY", server.secretKey(),
                    // A loaded machine must not make the read-through give the remote up (no uploader then).
                    "KACHE_REMOTE_DEADLINE", "60s"));
            a.cargo("build").assertOk("machine A");
            long built = System.nanoTime();
            List<String> local = filesUnder(tmp.resolve("a/store/entries")).stream()
                    .map(p -> p.getParent().getFileName() + "/" + p.getFileName() + ".tar.zst").sorted().toList();
            assertEquals(4, local.size(), "app, build script, core_lib, macros: " + local);
            Duration bound = UploadPacing.DEFAULT.boundAfterBuild().plus(Duration.ofSeconds(30));
            try {
                Deadline.in(bound).await("every entry in the bucket", () -> uploaded(server).containsAll(local)
                        && !hasMarkers(tmp.resolve("a/store/pending")));
            } catch (AssertionError e) {
                Path log = tmp.resolve("a/store/pending/uploader.log");
                throw new AssertionError(e.getMessage() + "; local " + local + ", uploaded " + uploaded(server)
                        + ", uploader log: " + (Files.exists(log) ? Files.readString(log) : "none") + ", remote given up: "
                        + Files.exists(tmp.resolve("a/store/remote-unavailable")), e);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - built);
            assertTrue(took.compareTo(bound) < 0, "all uploaded " + took.toMillis() + " ms after the build");
        }
    }

    /** The entries PUT into the bucket, as {@code crate/key.tar.zst}. */
    private static List<String> uploaded(S3TestServer server) {
        return server.requests().stream().filter(r -> r.method().equals("PUT")).map(r -> {
            String[] parts = r.path().split("/");
            return parts.length < 2 ? r.path() : parts[parts.length - 2] + "/" + parts[parts.length - 1];
        }).toList();
    }

    private static List<Path> filesUnder(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void aBuildWithTheRemoteDownSucceedsAndAsksItOnlyOnce() throws Exception {
        // Nothing listens on port 1: every remote call fails at once or within the deadline.
        DemoWorkspace ws = machine("down", Map.of(
                "KACHE_S3_BUCKET", "build-cache",
                "KACHE_S3_ENDPOINT", "http://127.0.0.1:1",
                "KACHE_S3_ACCESS_KEY", "AKIDKACHETEST",
                "KACHE_S3_SECRET_KEY", "kache-test-secret",
                "KACHE_REMOTE_DEADLINE", "2s"));
        long start = System.nanoTime();
        ws.cargo("build").assertOk("build with the remote down");
        assertEquals(EXPECTED, ws.runApp(ws.dir.resolve("target"), "debug"));
        assertTrue(Files.exists(tmp.resolve("down/store/remote-unavailable")),
                "the failure is remembered so the rest of the build skips the remote");
        assertFalse(Files.exists(tmp.resolve("down/store/pending/uploader.log")),
                "no uploader is started for a remote that just failed");
        assertTrue(hasMarkers(tmp.resolve("down/store/pending")), "the entries wait for kache sync --push");
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofMinutes(3)) < 0);
    }

    /**
     * Machine B's store is on a 3 MB disk (a tmpfs, as root; skipped where mounting is not
     * permitted): the remote's entries do not fit. The build goes on, the warning names the local
     * store, and the remote is not given up for the build: it did nothing wrong.
     */
    @Test
    void aStoreTooSmallForTheRemotesEntriesIsNamedAndTheRemoteStaysOn() throws Exception {
        Path config = tmp.resolve("kache.toml");
        Files.writeString(config, "[cache.remote]\ntype = \"filesystem\"\npath = \"" + tmp.resolve("share") + "\"\n");
        Files.createDirectories(tmp.resolve("share"));
        Map<String, String> remote = Map.of("KACHE_CONFIG", config.toString());
        DemoWorkspace a = machine("a", remote);
        a.cargo("build").assertOk("machine A");
        spy.takeCompiled();
        awaitUploads(tmp.resolve("a/store"));

        try (SmallDisk disk = SmallDisk.mount(Files.createDirectories(tmp.resolve("small")), "3m")) {
            Path store = disk.root().resolve("store");
            DemoWorkspace b = DemoWorkspace.copyTo(tmp.resolve("b/checkout"), kache, spy, store,
                    DemoWorkspace.machinesConfigHome(tmp));
            b.env.putAll(remote);
            b.env.putAll(launcherEnv(tmp.resolve("b")));
            CargoRun.Result built = b.cargo("build").assertOk("machine B, its store on a small disk");

            assertEquals(EXPECTED, b.runApp(b.dir.resolve("target"), "debug"));
            assertTrue(built.stderr().contains("the local store could not take it: No space left on device"),
                    built.stderr());
            assertFalse(built.stderr().contains("remote read failed"), built.stderr());
            assertFalse(Files.exists(store.resolve("remote-unavailable")), "the remote is not given up");
            KacheLauncher.stopProcessesOf(tmp);
        }
    }

    @Test
    void aReadOnlyRemoteIsNeverWritten() throws Exception {
        Path config = tmp.resolve("kache.toml");
        Files.writeString(config, "[cache]\nremote_readonly = true\n[cache.remote]\ntype = \"filesystem\"\npath = \""
                + tmp.resolve("share") + "\"\n");
        Files.createDirectories(tmp.resolve("share"));
        DemoWorkspace ws = machine("ro", Map.of("KACHE_CONFIG", config.toString()));
        ws.cargo("build").assertOk("read-only build");
        assertEquals(EXPECTED, ws.runApp(ws.dir.resolve("target"), "debug"));
        assertFalse(Files.exists(tmp.resolve("share/artifacts")), "nothing was written to the remote");
        assertFalse(Files.exists(tmp.resolve("ro/store/pending")) && hasMarkers(tmp.resolve("ro/store/pending")),
                "nothing was queued for upload");
    }

    /** Polls until the background uploader has emptied the store's upload queue. */
    private static void awaitUploads(Path store) throws Exception {
        Path pending = store.resolve("pending");
        try {
            Deadline.in(Duration.ofMinutes(2)).await("uploads of " + store, () -> !hasMarkers(pending));
        } catch (AssertionError e) {
            Path log = pending.resolve("uploader.log");
            throw new AssertionError(e.getMessage() + "; uploader log: " + (Files.exists(log) ? Files.readString(log)
                    : "none") + "; remote given up: " + Files.exists(store.resolve("remote-unavailable")), e);
        }
    }

    private static boolean hasMarkers(Path pending) {
        if (!Files.isDirectory(pending)) {
            return false;
        }
        try (Stream<Path> files = Files.list(pending)) {
            return files.anyMatch(p -> !p.getFileName().toString().startsWith(".")
                    && !p.getFileName().toString().endsWith(".log"));
        } catch (IOException e) {
            return true;
        }
    }
}
