package io.kache.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    private static final String EXPECTED = "Hello, kache generated=42 flavor=plain tokens=3\n";

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

    private DemoWorkspace machine(String name, Map<String, String> remoteEnv) throws IOException {
        DemoWorkspace ws = DemoWorkspace.copyTo(tmp.resolve(name + "/checkout"), kache, spy,
                tmp.resolve(name + "/store"), Files.createDirectories(tmp.resolve(name + "/xdg")));
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
                    "KACHE_S3_SECRET_KEY", server.secretKey());
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
        Deadline.in(Duration.ofMinutes(2)).await("uploads of " + store, () -> !hasMarkers(pending));
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
