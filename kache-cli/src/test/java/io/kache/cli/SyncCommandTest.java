package io.kache.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kache.api.ArtifactKey;
import io.kache.testkit.s3.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kache sync} in-process against a real S3 server on loopback, between machines that each
 * have a private store and a checkout of the demo workspace (its Cargo.lock: app, core-lib, macros).
 */
class SyncCommandTest {

    /** The crates of the demo's Cargo.lock and members, as the pull lists them. */
    static final Set<String> DEMO_CRATES = Set.of("app", "core_lib", "macros", "build_script_build");

    @TempDir
    Path tmp;
    SyncWorld world;
    SyncWorld.Machine a;
    SyncWorld.Machine b;
    List<ArtifactKey> members;

    @BeforeEach
    void setUp() throws Exception {
        world = new SyncWorld(tmp);
        a = world.machine("a");
        b = world.machine("b");
        members = List.of(a.put(SyncWorld.key("app", "1"), 20_000), a.put(SyncWorld.key("app", "2"), 1_000),
                a.put(SyncWorld.key("core_lib", "1"), 70_000), a.put(SyncWorld.key("core_lib", "2"), 10),
                a.put(SyncWorld.key("macros", "1"), 5_000), a.put(SyncWorld.key("build_script_build", "1"), 3_000));
        a.put(SyncWorld.key("serde", "elsewhere"), 1_000);
    }

    @AfterEach
    void tearDown() {
        world.close();
    }

    private static Set<String> listedPrefixes(List<RecordedRequest> requests) {
        return requests.stream().filter(RecordedRequest::isList).map(r -> r.queryParameter("prefix"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private List<RecordedRequest> requests(String method) {
        // Build records are read (two GETs at most) before a pull: entries are what these tests count.
        return world.server.requests().stream().filter(r -> r.method().equals(method) && !r.isList()
                && !r.path().contains("/kache-builds/")).toList();
    }

    /** Objects the server received: a PUT the HTTP client re-sent (a stale connection, a retry) counts once. */
    private Set<String> uploaded() {
        return requests("PUT").stream().map(RecordedRequest::path).collect(Collectors.toSet());
    }

    @Test
    void pushSendsTheMembersEntriesAndPullBringsThemToAnotherMachine() throws Exception {
        CliRun push = a.kache("sync", "--push");
        assertEquals(0, push.exit(), push.toString());
        assertTrue(push.out().contains("pushed: 6 done"), push.out());
        assertFalse(push.out().contains("pulled:"), "a push-only sync has no pull line: " + push.out());
        assertEquals(6, uploaded().size(), "serde is not a member of the workspace and is not pushed");

        // Other users of the bucket: another project's crate, another prefix, junk beside entries.
        world.putObject("artifacts/serde/" + SyncWorld.key("serde", "x").cacheKey() + ".tar.zst", a.pack(
                SyncWorld.key("serde", "elsewhere")));
        world.putObject("other-project/app/" + SyncWorld.key("app", "9").cacheKey() + ".tar.zst", new byte[] {1});
        world.putObject("artifacts/app/notes.txt", "not an entry".getBytes(StandardCharsets.UTF_8));
        world.server.clearRequests();

        CliRun pull = b.kache("sync", "--pull");
        assertEquals(0, pull.exit(), pull.toString());
        assertTrue(pull.out().contains("pulled: 6 done"), pull.out());
        Set<String> expected = DEMO_CRATES.stream().map(c -> "artifacts/" + c + "/")
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(expected, listedPrefixes(world.server.requests()), "one LIST per crate of Cargo.lock");
        assertEquals(DEMO_CRATES.size(), world.server.listRequests().size());
        assertEquals(new java.util.HashSet<>(members), new java.util.HashSet<>(b.keys()));
        for (ArtifactKey k : members) {
            assertArrayEquals(a.pack(k), b.pack(k), "the pulled entry is the pushed one: " + k);
        }
        assertEquals(6, requests("GET").size(), "nothing else is downloaded");
    }

    /**
     * The credential chain's warning is the command's, on its stderr (in the kache server, its
     * client's), and the chain goes on: the AWS variables hold the same keys.
     */
    @Test
    void aHalfSetKeyPairIsSaidOnTheCommandsStderrAndTheChainGoesOn() throws Exception {
        assertEquals(0, a.kache("sync", "--push").exit());
        Map<String, String> halfSet = new java.util.HashMap<>(b.env());
        halfSet.remove("KACHE_S3_SECRET_KEY");
        halfSet.put("AWS_ACCESS_KEY_ID", SyncWorld.ACCESS_KEY);
        halfSet.put("AWS_SECRET_ACCESS_KEY", SyncWorld.SECRET_KEY);
        CliRun pull = CliRun.of(halfSet, b.project(), "sync", "--pull");
        assertEquals(0, pull.exit(), pull.toString());
        assertTrue(pull.out().contains("pulled: 6 done"), pull.out());
        List<String> warnings = pull.err().lines().filter(l -> l.contains("KACHE_S3_SECRET_KEY")).toList();
        assertEquals(1, warnings.size(), pull.err());
        assertTrue(warnings.get(0).startsWith("kache sync: warning: KACHE_S3_ACCESS_KEY is set but"), warnings.get(0));
        assertFalse(pull.all().contains(SyncWorld.SECRET_KEY), "never a secret");
    }

    @Test
    void dryRunPrintsThePlanAndChangesNothing() throws Exception {
        assertEquals(0, a.kache("sync", "--push").exit());
        ArtifactKey onlyOnB = b.put(SyncWorld.key("app", "b-only"), 100);
        world.server.clearRequests();

        CliRun dry = b.kache("sync", "--dry-run");
        assertEquals(0, dry.exit(), dry.toString());
        List<String> lines = dry.out().lines().toList();
        assertEquals("pull 6, push 1", lines.get(0));
        assertEquals(7, lines.size() - 1);
        for (ArtifactKey k : members) {
            assertTrue(lines.contains("pull " + k.shortKey() + " " + k.crateName()), dry.out());
        }
        assertTrue(lines.contains("push " + onlyOnB.shortKey() + " app"), dry.out());
        assertEquals(List.of(onlyOnB), b.keys(), "nothing was pulled");
        assertTrue(world.server.requests().stream().allMatch(r -> r.isList()
                        || r.method().equals("GET") && r.path().contains("/kache-builds/")),
                "a dry run only lists (and reads build records): " + world.server.requests());
    }

    @Test
    void jsonOutputParsesAndCountsWhatMoved() throws Exception {
        CliRun push = a.kache("sync", "--json");
        assertEquals(0, push.exit(), push.toString());
        JsonNode json = new ObjectMapper().readTree(push.out());
        assertFalse(json.get("dry_run").asBoolean());
        assertEquals(6, json.get("push").get("done").asInt());
        assertEquals(0, json.get("pull").get("planned").asInt());
        assertTrue(json.get("push").get("bytes").asLong() > 100_000);
        assertTrue(json.get("complete").asBoolean());
        assertEquals(6, json.get("transfers").size());
        assertEquals("push", json.get("transfers").get(0).get("direction").asText());

        JsonNode dry = new ObjectMapper().readTree(b.kache("sync", "--pull", "--dry-run", "--json").out());
        assertTrue(dry.get("dry_run").asBoolean());
        assertEquals(6, dry.get("pull").get("planned").asInt());
        assertEquals("planned", dry.get("transfers").get(0).get("status").asText());
    }

    /**
     * A pull of more than the local store's cap holds (about 100 KB for a cap of 64 KiB) stops
     * bringing entries in before they would evict each other, fails nothing, and says so once, in
     * the summary and in the JSON, with the setting to raise.
     */
    @Test
    void aPullBeyondTheLocalStoresCapStopsAndSaysSoOnceInTheSummaryAndTheJson() throws Exception {
        assertEquals(0, a.kache("sync", "--push").exit());
        Map<String, String> small = new java.util.HashMap<>(b.env());
        small.put("KACHE_MAX_SIZE", "64KiB");

        CliRun pull = CliRun.of(small, b.project(), "sync", "--pull");
        assertEquals(0, pull.exit(), "nothing failed: " + pull);
        List<String> said = pull.out().lines().filter(l -> l.startsWith("stopped at the local store's cap")).toList();
        assertEquals(1, said.size(), pull.out());
        assertTrue(said.get(0).contains("local_max_size") && said.get(0).contains("KACHE_MAX_SIZE"), said.get(0));
        assertTrue(b.keys().size() < members.size(), "not everything was brought: " + b.keys());

        JsonNode json = new ObjectMapper().readTree(CliRun.of(small, b.project(), "sync", "--pull", "--json").out());
        assertTrue(json.get("complete").asBoolean(), json.toString());
        assertTrue(json.get("stopped_at_cap").asText().contains("KACHE_MAX_SIZE"), json.toString());

        JsonNode roomy = new ObjectMapper().readTree(b.kache("sync", "--pull", "--json").out());
        assertTrue(roomy.get("stopped_at_cap").isNull(), "a store with room takes everything: " + roomy);
        assertEquals(new java.util.HashSet<>(members), new java.util.HashSet<>(b.keys()));
    }

    @Test
    void withoutARemoteSyncIsAClearErrorWithExit2() throws Exception {
        Map<String, String> env = new java.util.HashMap<>(a.env());
        env.remove("KACHE_S3_BUCKET");
        env.remove("KACHE_S3_ENDPOINT");
        CliRun run = CliRun.of(env, a.project(), "sync");
        assertEquals(2, run.exit(), run.toString());
        assertTrue(run.err().contains("no remote is configured"), run.err());
        CliRun localOnly = a.kache(Map.of("KACHE_LOCAL_ONLY", "1"), "sync");
        assertEquals(2, localOnly.exit());
        assertTrue(localOnly.err().contains("local_only"), localOnly.err());
    }

    @Test
    void outsideTheProjectAllPushesEveryEntryAndPullsEverything() throws Exception {
        CliRun push = a.kache("sync", "--push", "--all");
        assertEquals(0, push.exit(), push.toString());
        assertEquals(7, uploaded().size(), "--all pushes serde too");
        CliRun pull = b.kache("sync", "--pull", "--all");
        assertEquals(0, pull.exit(), pull.toString());
        assertEquals(7, b.keys().size());
        assertEquals(Set.of("artifacts/"), listedPrefixes(world.server.listRequests().subList(
                world.server.listRequests().size() - 1, world.server.listRequests().size())));
    }

    @Test
    void outsideACargoProjectMovingEverythingNeedsAll() throws Exception {
        Path nowhere = java.nio.file.Files.createDirectories(tmp.resolve("not-a-project"));
        for (String direction : List.of("--pull", "--push")) {
            CliRun run = CliRun.of(a.env(), nowhere, "sync", direction);
            assertEquals(2, run.exit(), run.toString());
            assertTrue(run.err().contains("pass --all"), run.err());
        }
        assertEquals(List.of(), world.server.requests(), "nothing was asked of the remote");
    }

    @Test
    void manifestPathChoosesTheWorkspace() throws Exception {
        SyncWorld.Machine c = world.machine("c");
        CliRun push = CliRun.of(a.env(), tmp, "sync", "--push", "--manifest-path",
                a.project().resolve("Cargo.toml").toString());
        assertEquals(0, push.exit(), push.toString());
        assertEquals(6, uploaded().size());
        CliRun missing = CliRun.of(c.env(), tmp, "sync", "--manifest-path", "nowhere/Cargo.toml");
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("nowhere/Cargo.toml"), missing.err());
    }
}
