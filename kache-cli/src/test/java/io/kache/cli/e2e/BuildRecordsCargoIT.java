package io.kache.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.testkit.Deadline;
import io.kache.testkit.SpyRustc;
import io.kache.testkit.s3.RecordedRequest;
import io.kache.testkit.s3.S3TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Build records with real cargo and a real S3 server: a bucket holding the history of other builds
 * (a release build, a build with other RUSTFLAGS), a fresh machine whose {@code sync --pull} reads
 * the record of its own build and downloads only its entries, then compiles nothing; a hostile or
 * stale record costs a miss and nothing else.
 */
class BuildRecordsCargoIT {

    private static final String BUCKET = "records";
    private static final Pattern WRITTEN = Pattern.compile("written ([0-9a-f]{32}) and ([0-9a-f]{32}): (\\d+) entries");

    @TempDir
    Path tmp;
    S3TestServer server;
    Path kache;

    @BeforeEach
    void setUp() throws Exception {
        server = S3TestServer.start(tmp.resolve("s3"), "AKIDRECORDS", "records-secret");
        server.createBucket(BUCKET);
        kache = KacheLauncher.create(Files.createDirectories(tmp.resolve("bin")));
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private DemoWorkspace machine(String name, String path, SpyRustc spy) throws Exception {
        return DemoWorkspace.onMachine(tmp.resolve(name), path, kache, spy);
    }

    private CargoRun.Result kacheIn(DemoWorkspace ws, Map<String, String> extra, String... args) throws Exception {
        Map<String, String> env = new HashMap<>(ws.env);
        env.put("KACHE_S3_BUCKET", BUCKET);
        env.put("KACHE_S3_ENDPOINT", server.endpoint().toString());
        env.put("KACHE_S3_REGION", S3TestServer.REGION);
        env.put("KACHE_S3_ACCESS_KEY", server.accessKey());
        env.put("KACHE_S3_SECRET_KEY", server.secretKey());
        env.putAll(extra);
        String[] command = new String[args.length + 1];
        command[0] = kache.toString();
        System.arraycopy(args, 0, command, 1, args.length);
        return CargoRun.run(ws.dir, env, command);
    }

    /** The two slots a push wrote, from its --json output. */
    private static String[] written(CargoRun.Result push) {
        Matcher m = WRITTEN.matcher(push.stdout());
        assertTrue(m.find(), "a build record was written: " + push.stdout());
        return new String[] {m.group(1), m.group(2), m.group(3)};
    }

    private List<String> entryGets() {
        return server.requests().stream().filter(r -> r.method().equals("GET") && !r.isList())
                .map(RecordedRequest::path).filter(p -> p.endsWith(".tar.zst")).toList();
    }

    @Test
    void aFreshMachinePullsOnlyItsBuildsEntriesWhateverTheHistoryAndABadRecordCostsOnlyAMiss() throws Exception {
        SpyRustc spyA = SpyRustc.create(tmp.resolve("spy-a"));
        DemoWorkspace a = machine("a", "work/demo", spyA);
        // History: a release build and a build with other RUSTFLAGS, each pushed with its record.
        a.cargo("build", "--release").assertOk("release build on A");
        kacheIn(a, Map.of(), "sync", "--push", "--json").assertOk("push of the release build");
        Map<String, String> flags = Map.of("RUSTFLAGS", "-C debug-assertions=off");
        a.cargo(flags, "build").assertOk("RUSTFLAGS build on A");
        kacheIn(a, flags, "sync", "--push", "--json").assertOk("push of the RUSTFLAGS build");
        // The build the fresh machine will make: plain debug.
        a.cargo("build").assertOk("debug build on A");
        String expected = a.runApp(a.dir.resolve("target"), "debug");
        spyA.takeCompiled();
        CargoRun.Result push = kacheIn(a, Map.of(), "sync", "--push", "--json").assertOk("push of the debug build");
        String[] slots = written(push);
        assertEquals("4", slots[2], "the debug build used 4 entries: " + push.stdout());
        long inBucket;
        try (var files = Files.walk(server.directory())) {
            inBucket = files.filter(p -> p.toString().endsWith(".tar.zst")).count();
        }
        assertTrue(inBucket >= 12, "the bucket holds three builds' entries: " + inBucket);

        // B: empty store, another checkout path. Its pull reads the record and downloads only its entries.
        server.clearRequests();
        SpyRustc spyB = SpyRustc.create(tmp.resolve("spy-b"));
        DemoWorkspace b = machine("b", "elsewhere/deeper/demo", spyB);
        CargoRun.Result dry = kacheIn(b, Map.of(), "sync", "--pull", "--dry-run", "--json").assertOk("dry run on B");
        assertTrue(dry.stdout().contains("build record used: " + slots[0]), dry.stdout());
        CargoRun.Result pull = kacheIn(b, Map.of(), "sync", "--pull").assertOk("pull on B");
        assertTrue(pull.stdout().contains("pulled: 4 done"), pull.stdout() + pull.stderr());
        assertTrue(pull.stderr().contains("build record used: " + slots[0]), pull.stderr());
        assertEquals(List.of(), server.listRequests(), "no listing: the record chose");
        assertEquals(4, entryGets().size(), "only the record's entries are downloaded: " + entryGets());
        b.cargo("build").assertOk("build on B");
        assertEquals(List.of(), spyB.takeCompiled(), "the build compiles nothing");
        assertEquals(expected, b.runApp(b.dir.resolve("target"), "debug"));

        // A hostile record in the exact slot, a stale one (entries that do not exist) in the line slot.
        server.putObject(BUCKET, "artifacts/kache-builds/" + slots[0] + ".json",
                record("\"../../../etc/passwd\"").getBytes(StandardCharsets.UTF_8));
        String stale = new String(Files.readAllBytes(server.directory().resolve(BUCKET)
                .resolve("artifacts/kache-builds/" + slots[1] + ".json")), StandardCharsets.UTF_8)
                .replaceAll("/[0-9a-f]{64}\"", "/" + "0".repeat(64) + "\"");
        server.putObject(BUCKET, "artifacts/kache-builds/" + slots[1] + ".json", stale.getBytes(StandardCharsets.UTF_8));
        server.clearRequests();
        SpyRustc spyC = SpyRustc.create(tmp.resolve("spy-c"));
        DemoWorkspace c = machine("c", "third/demo", spyC);
        CargoRun.Result bad = kacheIn(c, Map.of(), "sync", "--pull").assertOk("pull on C with bad records");
        assertEquals(1, count(bad.stderr(), "build record " + slots[0] + " ignored"), bad.stderr());
        assertTrue(bad.stderr().contains("build record used: " + slots[1]), bad.stderr());
        assertTrue(bad.stdout().contains("pulled: 0 done"), bad.stdout());
        assertTrue(entryGets().stream().allMatch(p -> p.contains("/" + "0".repeat(64))), entryGets().toString());
        c.cargo("build").assertOk("build on C");
        assertEquals(List.of("app", "build_script_build", "core_lib", "macros"), spyC.takeCompiled(),
                "a stale record costs misses, and the build goes on");
        assertEquals(expected, c.runApp(c.dir.resolve("target"), "debug"));
    }

    @Test
    void theWriteBackRecordsTheBuildSoAFreshPullTakesExactlyItsEntries() throws Exception {
        Path share = Files.createDirectories(tmp.resolve("share"));
        Path config = tmp.resolve("kache.toml");
        Files.writeString(config, "[cache.remote]\ntype = \"filesystem\"\npath = \"" + share + "\"\n");
        Map<String, String> remote = Map.of("KACHE_CONFIG", config.toString());
        SpyRustc spyA = SpyRustc.create(tmp.resolve("spy-a"));
        DemoWorkspace a = machine("a", "work/demo", spyA);
        a.env.putAll(remote);
        a.cargo("build").assertOk("build on A, written back");
        Path records = share.resolve("artifacts/kache-builds");
        Deadline.in(java.time.Duration.ofMinutes(2)).await("the uploader's build records", () -> {
            try (var files = Files.list(records)) {
                return files.filter(p -> p.toString().endsWith(".json")).count() == 2;
            } catch (java.io.IOException e) {
                return false;
            }
        });

        SpyRustc spyB = SpyRustc.create(tmp.resolve("spy-b"));
        DemoWorkspace b = machine("b", "other/place/demo", spyB);
        b.env.putAll(remote);
        CargoRun.Result pull = CargoRun.run(b.dir, b.env, kache.toString(), "sync", "--pull").assertOk("pull on B");
        assertTrue(pull.stderr().contains("build record used: "), pull.stderr());
        assertTrue(pull.stdout().contains("pulled: 4 done"), pull.stdout());
        b.cargo("build").assertOk("build on B");
        assertEquals(List.of(), spyB.takeCompiled(), "B compiles nothing");
        String report = CargoRun.run(b.dir, b.env, kache.toString(), "report", "--format", "json").assertOk("report").stdout();
        assertTrue(report.contains("\"hits\": 4") && report.contains("\"remoteGets\": 0"),
                "every hit came from the pull, none from the read-through: " + report);

        // The next commit changed one member: the previous build's record still brings every other crate.
        SpyRustc spyC = SpyRustc.create(tmp.resolve("spy-c"));
        DemoWorkspace c = machine("c", "next/commit/demo", spyC);
        c.env.putAll(remote);
        Path main = c.dir.resolve("app/src/main.rs");
        Files.writeString(main, Files.readString(main) + "\n// the next commit\n");
        CargoRun.Result next = CargoRun.run(c.dir, c.env, kache.toString(), "sync", "--pull").assertOk("pull on C");
        assertTrue(next.stderr().contains("build record used: "), next.stderr());
        // Local only: what C has is what the pull brought (and no uploader outlives the test).
        c.cargo(Map.of("KACHE_LOCAL_ONLY", "1"), "build").assertOk("build of the next commit on C");
        assertEquals(List.of("app"), spyC.takeCompiled(), "only the changed member compiles");
    }

    /**
     * Builds of one workspace that differ only in their features ({@code --features app/shout}) or in
     * rustflags set in {@code .cargo/config.toml} each get their own record: none replaces another,
     * and a fresh machine's pull with the same options (or the same config file) downloads exactly
     * that build's entries, so its build compiles nothing.
     */
    @Test
    void buildsWithOtherFeaturesOrConfigRustflagsEachGetTheirRecordAndEachPullTakesItsBuildsEntries() throws Exception {
        String config = "[build]\nrustflags = [\"-C\", \"debug-assertions=off\"]\n";
        SpyRustc spyA = SpyRustc.create(tmp.resolve("spy-a"));
        DemoWorkspace a = machine("a", "work/demo", spyA);
        a.cargo("build", "--features", "app/shout").assertOk("feature build on A");
        String shoutOutput = a.runApp(a.dir.resolve("target"), "debug");
        String[] shout = written(kacheIn(a, Map.of(), "sync", "--push", "--json").assertOk("push of the feature build"));
        // Clean first: a unit cargo finds fresh makes no call, and the record names the calls a build made.
        a.cargo("clean").assertOk("clean");
        a.cargo("build").assertOk("plain build on A");
        String plainOutput = a.runApp(a.dir.resolve("target"), "debug");
        String[] plain = written(kacheIn(a, Map.of(), "sync", "--push", "--json").assertOk("push of the plain build"));
        Files.createDirectories(a.dir.resolve(".cargo"));
        Files.writeString(a.dir.resolve(".cargo/config.toml"), config);
        a.cargo("clean").assertOk("clean");
        a.cargo("build").assertOk("build with config rustflags on A");
        String[] flags = written(kacheIn(a, Map.of(), "sync", "--push", "--json").assertOk("push of the config build"));
        for (String[] slots : List.of(shout, plain, flags)) {
            assertEquals("4", slots[2], "each build used 4 entries");
        }
        assertEquals(6, new java.util.HashSet<>(List.of(shout[0], shout[1], plain[0], plain[1], flags[0], flags[1])).size(),
                "three builds, three exact and three line slots: " + List.of(shout[0], shout[1], plain[0], plain[1],
                        flags[0], flags[1]));

        // Each fresh machine pulls with the build's options and builds it compiling nothing.
        record Case(String name, String[] slots, List<String> pullArgs, List<String> buildArgs, boolean configFile,
                    String output) {
        }
        for (Case c : List.of(
                new Case("shout", shout, List.of("--features", "app/shout"), List.of("--features", "app/shout"), false,
                        shoutOutput),
                new Case("plain", plain, List.of(), List.of(), false, plainOutput),
                new Case("flags", flags, List.of(), List.of(), true, plainOutput))) {
            server.clearRequests();
            SpyRustc spy = SpyRustc.create(tmp.resolve("spy-" + c.name()));
            DemoWorkspace m = machine(c.name(), "fresh/" + c.name() + "/demo", spy);
            if (c.configFile()) {
                Files.createDirectories(m.dir.resolve(".cargo"));
                Files.writeString(m.dir.resolve(".cargo/config.toml"), config);
            }
            List<String> pullCommand = new java.util.ArrayList<>(List.of("sync", "--pull"));
            pullCommand.addAll(c.pullArgs());
            CargoRun.Result pull = kacheIn(m, Map.of(), pullCommand.toArray(String[]::new)).assertOk("pull " + c.name());
            assertTrue(pull.stderr().contains("build record used: " + c.slots()[0] + ","),
                    c.name() + ": " + pull.stderr());
            assertTrue(pull.stdout().contains("pulled: 4 done"), c.name() + ": " + pull.stdout());
            assertEquals(4, entryGets().size(), c.name() + ": only the build's entries: " + entryGets());
            List<String> build = new java.util.ArrayList<>(List.of("build"));
            build.addAll(c.buildArgs());
            m.cargo(Map.of("KACHE_LOCAL_ONLY", "1"), build.toArray(String[]::new)).assertOk("build " + c.name());
            assertEquals(List.of(), spy.takeCompiled(), c.name() + ": the build compiles nothing");
            assertEquals(c.output(), m.runApp(m.dir.resolve("target"), "debug"), c.name());
        }
    }

    /**
     * After a full build, a commit that changed one member: cargo recompiles that member and the app
     * only, and the record still names all four entries (the unchanged ones carried on). A
     * {@code cargo check} then gets a record of its own and leaves the build's alone, so a fresh
     * machine's pull for a build takes the build's entries and its build compiles only nothing.
     */
    @Test
    void aPartialBuildKeepsTheRecordWholeAndACheckDoesNotReplaceIt() throws Exception {
        SpyRustc spyA = SpyRustc.create(tmp.resolve("spy-a"));
        DemoWorkspace a = machine("a", "work/demo", spyA);
        a.cargo("build").assertOk("full build on A");
        String[] full = written(kacheIn(a, Map.of(), "sync", "--push", "--json").assertOk("push of the full build"));
        assertEquals("4", full[2]);
        Path lib = a.dir.resolve("core-lib/src/lib.rs");
        String edit = "\n// the next commit\n";
        Files.writeString(lib, Files.readString(lib) + edit);
        spyA.takeCompiled();
        a.cargo("build").assertOk("partial build on A");
        assertEquals(List.of("app", "core_lib"), spyA.takeCompiled(), "cargo recompiles what changed");
        CargoRun.Result partial = kacheIn(a, Map.of(), "sync", "--push", "--json").assertOk("push of the partial build");
        String[] slots = written(partial);
        assertEquals(full[0], slots[0]);
        assertEquals("4", slots[2], "the unchanged build script and proc macro are carried on: " + partial.stdout());
        spyA.takeCompiled();
        a.cargo("check").assertOk("check on A");
        assertEquals(List.of("app", "core_lib", "macros", "macros"), spyA.takeCompiled(),
                "a check compiles the members' metadata and the proc macro; the build script is fresh");
        CargoRun.Result checkPush = kacheIn(a, Map.of(), "sync", "--push", "--json").assertOk("push of the check");
        String[] check = written(checkPush);
        assertEquals("5", check[2], "the check's four entries and the build script it found fresh (the build's): "
                + checkPush.stdout());
        assertTrue(!check[0].equals(full[0]) && !check[1].equals(full[1]), "a check's record has slots of its own");

        server.clearRequests();
        SpyRustc spyB = SpyRustc.create(tmp.resolve("spy-b"));
        DemoWorkspace b = machine("b", "fresh/demo", spyB);
        Path libB = b.dir.resolve("core-lib/src/lib.rs");
        Files.writeString(libB, Files.readString(libB) + edit);
        CargoRun.Result pull = kacheIn(b, Map.of(), "sync", "--pull").assertOk("pull on B");
        assertTrue(pull.stderr().contains("build record used: " + full[0] + ","), pull.stderr());
        assertTrue(pull.stdout().contains("pulled: 4 done"), pull.stdout());
        b.cargo(Map.of("KACHE_LOCAL_ONLY", "1"), "build").assertOk("build on B");
        assertEquals(List.of(), spyB.takeCompiled(), "B compiles nothing: every entry came with the record");

        // The check's record names the build script the check found fresh (the build's).
        SpyRustc spyC = SpyRustc.create(tmp.resolve("spy-c"));
        DemoWorkspace c = machine("c", "third/demo", spyC);
        Path libC = c.dir.resolve("core-lib/src/lib.rs");
        Files.writeString(libC, Files.readString(libC) + edit);
        CargoRun.Result pullCheck = kacheIn(c, Map.of(), "sync", "--pull", "--kind", "check")
                .assertOk("pull of the check's record");
        assertTrue(pullCheck.stderr().contains("build record used: " + check[0] + ","), pullCheck.stderr());
        assertTrue(pullCheck.stdout().contains("pulled: 5 done"), pullCheck.stdout());
        c.cargo(Map.of("KACHE_LOCAL_ONLY", "1"), "check").assertOk("check on C");
        assertEquals(List.of(), spyC.takeCompiled(), "C's check compiles nothing");
    }

    /**
     * cargo check and cargo clippy of one workspace each write and read a record of their own: they
     * shared the check's, so each pushed record replaced the other's and a fresh machine's clippy
     * prefetched the members' check entries and missed its own. Here a fresh machine pulls the
     * clippy's record and its clippy compiles no member.
     */
    @Test
    void checkAndClippyEachWriteAndReadTheirOwnRecord() throws Exception {
        DemoWorkspace a = machine("a", "work/demo", SpyRustc.create(tmp.resolve("spy-a")));
        a.cargo("check").assertOk("check on A");
        String[] check = written(kacheIn(a, Map.of(), "sync", "--push", "--json").assertOk("push of the check"));
        a.cargo("clippy").assertOk("clippy on A");
        CargoRun.Result clippyPush = kacheIn(a, Map.of(), "sync", "--push", "--json").assertOk("push of the clippy");
        String[] clippy = written(clippyPush);
        assertTrue(!clippy[0].equals(check[0]) && !clippy[1].equals(check[1]),
                "a clippy's record has slots of its own: " + clippyPush.stdout());

        DemoWorkspace b = machine("b", "fresh/demo", SpyRustc.create(tmp.resolve("spy-b")));
        CargoRun.Result pullClippy = kacheIn(b, Map.of(), "sync", "--pull", "--kind", "clippy")
                .assertOk("pull of the clippy's record");
        assertTrue(pullClippy.stderr().contains("build record used: " + clippy[0] + ","), pullClippy.stderr());
        assertTrue(pullClippy.stdout().contains("pulled: " + clippy[2] + " done"), pullClippy.stdout());
        Path storeB = tmp.resolve("b").resolve("store");
        long missesBefore = misses(storeB);
        b.cargo(Map.of("KACHE_LOCAL_ONLY", "1"), "clippy").assertOk("clippy on B");
        assertEquals(missesBefore, misses(storeB), "B's clippy compiles nothing: every entry came with the record");

        CargoRun.Result pullCheck = kacheIn(b, Map.of(), "sync", "--pull", "--kind", "check")
                .assertOk("pull of the check's record");
        assertTrue(pullCheck.stderr().contains("build record used: " + check[0] + ","), pullCheck.stderr());
        assertTrue(pullCheck.stdout().contains("pulled: " + check[2] + " done"),
                "none of the check's entries came with the clippy's record: " + pullCheck.stdout());
    }

    private static long misses(Path store) throws Exception {
        try (io.kache.core.store.LocalStore s = io.kache.core.store.LocalStore.open(store, 1L << 34)) {
            assertTrue(s.awaitStoresInFlight(java.time.Duration.ofSeconds(60)), "stores in flight landed");
            return s.stats().misses();
        }
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private static String record(String entries) {
        return "{\"format\":\"kache-build-record-1\",\"created\":1,\"build\":\"b\",\"identity\":{\"toolchain\":\"t\","
                + "\"target\":\"host\",\"profile\":\"debug\",\"rustflags\":\"none\",\"lock\":\"l\",\"members\":\"m\"},"
                + "\"entries\":[" + entries + "]}";
    }
}
