package io.kache.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.testkit.SpyRustc;
import io.kache.testkit.s3.RecordedRequest;
import io.kache.testkit.s3.S3TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache shared between two machines through {@code kache sync}, with real cargo and a real S3
 * server on loopback. Each machine has its own store and a checkout of the demo at its own absolute
 * path; builds run without a remote, so only sync can carry entries across.
 */
class SyncCargoIT {

    private static final String BUCKET = "shared-cache";

    @TempDir
    Path tmp;
    S3TestServer server;
    Path kache;

    @BeforeEach
    void setUp() throws Exception {
        server = S3TestServer.start(tmp.resolve("s3"), "AKIDCARGOIT", "cargo-it-secret");
        server.createBucket(BUCKET);
        kache = KacheLauncher.create(Files.createDirectories(tmp.resolve("bin")));
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    /** A machine's demo checkout at {@code path}, building through kache into its own store. */
    private DemoWorkspace machine(String name, String path, SpyRustc spy) throws Exception {
        return DemoWorkspace.onMachine(tmp.resolve(name), path, kache, spy);
    }

    private Map<String, String> remoteEnv(DemoWorkspace ws) {
        Map<String, String> env = new HashMap<>(ws.env);
        env.put("KACHE_S3_BUCKET", BUCKET);
        env.put("KACHE_S3_ENDPOINT", server.endpoint().toString());
        env.put("KACHE_S3_REGION", S3TestServer.REGION);
        env.put("KACHE_S3_ACCESS_KEY", server.accessKey());
        env.put("KACHE_S3_SECRET_KEY", server.secretKey());
        return env;
    }

    private CargoRun.Result kacheIn(DemoWorkspace ws, String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = kache.toString();
        System.arraycopy(args, 0, command, 1, args.length);
        return CargoRun.run(ws.dir, remoteEnv(ws), command);
    }

    @Test
    void aPushedBuildIsPulledByAnotherMachineWhichThenCompilesNothing() throws Exception {
        SpyRustc spyA = SpyRustc.create(tmp.resolve("spy-a"));
        DemoWorkspace a = machine("a", "work/demo", spyA);
        a.cargo("build").assertOk("build on A");
        assertEquals(List.of("app", "build_script_build", "core_lib", "macros"), spyA.takeCompiled());
        String expected = a.runApp(a.dir.resolve("target"), "debug");

        CargoRun.Result push = kacheIn(a, "sync", "--push").assertOk("sync --push on A");
        assertTrue(push.stdout().contains("pushed: 4 done"), push.stdout());

        // Another project shares the bucket: its crates must not be listed or fetched.
        server.putObject(BUCKET, "artifacts/serde/" + "ab".repeat(32) + ".tar.zst", new byte[] {1, 2, 3});
        server.putObject(BUCKET, "artifacts/tokio/" + "cd".repeat(32) + ".tar.zst", new byte[] {4});
        server.clearRequests();

        SpyRustc spyB = SpyRustc.create(tmp.resolve("spy-b"));
        DemoWorkspace b = machine("b", "elsewhere/much/deeper/demo", spyB);
        CargoRun.Result pull = kacheIn(b, "sync", "--pull").assertOk("sync --pull on B");
        assertTrue(pull.stdout().contains("pulled: 4 done"), pull.stdout() + pull.stderr());
        Set<String> listed = server.listRequests().stream().map(r -> r.queryParameter("prefix"))
                .collect(Collectors.toCollection(TreeSet::new));
        // A's push wrote the record of its build: B's pull reads it by name instead of listing.
        assertEquals(Set.of(), listed, "the build record chose what to pull: " + pull.stderr());
        assertTrue(pull.stderr().contains("build record used: "), pull.stderr());
        assertTrue(server.requests().stream().filter(r -> !r.isList()).map(RecordedRequest::path)
                .noneMatch(p -> p.contains("/serde/") || p.contains("/tokio/")), server.requests().toString());

        CargoRun.Result pulledStats = kacheIn(b, "stats", "--json").assertOk("stats on B after the pull");
        assertTrue(pulledStats.stdout().contains("\"entries\": 4, \"packedEntries\": 0"),
                "the pull imported every entry; nothing is left for a build's lookup to unpack: " + pulledStats.stdout());
        assertFalse(Files.exists(tmp.resolve("b/store/packs")) && hasFiles(tmp.resolve("b/store/packs")),
                "no pulled pack waits in packs/");
        b.cargo("build").assertOk("build on B");
        assertEquals(List.of(), spyB.takeCompiled(), "every compile on B is served by what sync pulled");
        CargoRun.Result builtStats = kacheIn(b, "stats", "--json").assertOk("stats on B after the build");
        assertTrue(builtStats.stdout().contains("\"entries\": 4, \"packedEntries\": 0"), builtStats.stdout());
        assertEquals(expected, b.runApp(b.dir.resolve("target"), "debug"));

        CargoRun.Result again = kacheIn(b, "sync").assertOk("sync on B");
        assertTrue(again.stdout().contains("pulled: 0 done") && again.stdout().contains("pushed: 0 done"),
                again.stdout());
    }

    /**
     * Through bin/kache, as users run it, {@code kache sync --pull} runs in the kache server (started
     * for it), with the call's own environment and directory; the build after it is served by that
     * same server and compiles nothing; and the output and exit code are those of the command.
     */
    @Test
    void throughTheLauncherThePullRunsInTheServerWhichThenServesTheBuild() throws Exception {
        SpyRustc spyA = SpyRustc.create(tmp.resolve("spy-a"));
        DemoWorkspace a = machine("a", "work/demo", spyA);
        a.cargo("build").assertOk("build on A");
        kacheIn(a, "sync", "--push").assertOk("sync --push on A");

        Path launcher = KacheLauncher.repositoryLauncher();
        Path serverDir = tmp.resolve("b/server");
        SpyRustc spyB = SpyRustc.create(tmp.resolve("spy-b"));
        DemoWorkspace b = DemoWorkspace.onMachine(tmp.resolve("b"), "elsewhere/demo", launcher, spyB);
        b.env.put("KACHE_SERVER_DIR", serverDir.toString());
        b.env.put("KACHE_SERVER_IDLE_MS", "20000");
        CargoRun.Result pull = CargoRun.run(b.dir, remoteEnv(b), launcher.toString(), "sync", "--pull")
                .assertOk("sync --pull on B through bin/kache");
        assertTrue(pull.stdout().contains("pulled: 4 done"), pull.stdout() + pull.stderr());
        assertTrue(pull.stderr().contains("build record used: "), pull.stderr());
        // Before it: the probes the pull's own identity asks of rustc through RUSTC_WRAPPER, served there too.
        String pulled = ServerCargoIT.serverLog(serverDir);
        assertEquals(1, pulled.lines().filter("ran kache sync --pull"::equals).count(), "the server ran the pull: " + pulled);

        b.cargo(remoteEnv(b), "build").assertOk("build on B");
        assertEquals(List.of(), spyB.takeCompiled(), "every compile on B is served by what the server pulled");
        String log = ServerCargoIT.serverLog(serverDir);
        assertTrue(log.lines().filter(l -> l.startsWith("served ")).count() >= 4, "the same server served the build: " + log);

        CargoRun.Result refused = CargoRun.run(b.dir, remoteEnv(b), launcher.toString(), "sync", "--pull", "--no-such-option");
        assertEquals(2, refused.exitCode(), refused.stderr());
        assertTrue(refused.stderr().contains("--no-such-option"), refused.stderr());
    }

    private static boolean hasFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.anyMatch(Files::isRegularFile);
        }
    }
}
