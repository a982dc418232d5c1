package io.kache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kache.api.ArtifactKey;
import io.kache.core.journal.BuildEvent;
import io.kache.core.journal.WorkspaceSide;
import io.kache.core.store.LocalStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kache sync --push} and the build record it writes, with a build in the machine's journal:
 * the record is part of the push, so a record the remote does not take leaves the push incomplete.
 */
class SyncRecordTest {

    @TempDir
    Path tmp;
    SyncWorld world;
    SyncWorld.Machine a;

    @BeforeEach
    void setUp() throws Exception {
        world = new SyncWorld(tmp);
        a = world.machine("a");
    }

    @AfterEach
    void tearDown() {
        world.close();
    }

    /** Notes in {@code m}'s journal a build of its checkout that stored {@code keys}. */
    static void built(SyncWorld.Machine m, String build, ArtifactKey... keys) throws Exception {
        String target = m.project().toRealPath().resolve("target").toString();
        try (LocalStore s = m.open()) {
            for (ArtifactKey k : keys) {
                s.journal().append(new BuildEvent(System.currentTimeMillis(), build,
                        new WorkspaceSide(target, "debug", "host", "tc", "none"), k.crateName(), "lib", k.cacheKey(),
                        BuildEvent.Outcome.STORED, "", 10, 0, 0, 0));
            }
        }
    }

    /** The machine's environment with a filesystem remote at {@code share} instead of the bucket. */
    private Map<String, String> filesystemRemote(Path share) throws Exception {
        return filesystemRemote(a, share);
    }

    private Map<String, String> filesystemRemote(SyncWorld.Machine m, Path share) throws Exception {
        Path config = tmp.resolve("kache.toml");
        Files.writeString(config, "[cache.remote]\ntype = \"filesystem\"\npath = \"" + share + "\"\n");
        Map<String, String> env = new HashMap<>(m.env());
        env.keySet().removeIf(k -> k.startsWith("KACHE_S3_"));
        env.put("KACHE_CONFIG", config.toString());
        return env;
    }

    @Test
    void aRecordTheRemoteDoesNotTakeMakesThePushIncomplete() throws Exception {
        ArtifactKey app = a.put(SyncWorld.key("app", "1"), 1_000);
        ArtifactKey core = a.put(SyncWorld.key("core_lib", "1"), 1_000);
        built(a, "b1", core, app);
        Path share = Files.createDirectories(tmp.resolve("share"));
        // Where the records go is a file: the entries are written, the record cannot be.
        Files.createDirectories(share.resolve("artifacts"));
        Files.writeString(share.resolve("artifacts/kache-builds"), "in the way");

        CliRun push = CliRun.of(filesystemRemote(share), a.project(), "sync", "--push", "--json");

        assertEquals(SyncCommand.EXIT_INCOMPLETE, push.exit(), push.toString());
        JsonNode json = new ObjectMapper().readTree(push.out());
        assertEquals(2, json.get("push").get("done").asInt(), push.out());
        assertFalse(json.get("complete").asBoolean(), push.out());
        assertTrue(json.get("records").toString().contains("not written"), push.out());
        assertEquals(0, CliRun.of(filesystemRemote(share), a.project(), "sync", "--push", "--allow-partial").exit());
    }

    @Test
    void aPushWhoseEntriesAllFailedWritesNoRecordAndAPullStillListsWhatTheRemoteHas() throws Exception {
        Path share = Files.createDirectories(tmp.resolve("share"));
        ArtifactKey app = a.put(SyncWorld.key("app", "1"), 1_000);
        ArtifactKey core = a.put(SyncWorld.key("core_lib", "1"), 1_000);
        assertEquals(0, CliRun.of(filesystemRemote(share), a.project(), "sync", "--push").exit(),
                "the entries are in the remote (no build yet, so no record)");
        ArtifactKey macros = a.put(SyncWorld.key("macros", "1"), 1_000);
        built(a, "b2", macros);
        // The build's only entry cannot be written: its crate's directory is a file.
        Path blocked = share.resolve("artifacts/macros");
        Files.writeString(blocked, "in the way");

        CliRun failed = CliRun.of(filesystemRemote(share), a.project(), "sync", "--push", "--json");

        assertEquals(SyncCommand.EXIT_INCOMPLETE, failed.exit(), failed.toString());
        assertTrue(new ObjectMapper().readTree(failed.out()).get("records").toString().contains("not written"),
                failed.out());
        assertFalse(Files.exists(share.resolve("artifacts/kache-builds")), "no record was written");

        Files.delete(blocked);
        SyncWorld.Machine b = world.machine("b");
        CliRun pull = CliRun.of(filesystemRemote(b, share), b.project(), "sync", "--pull");
        assertEquals(0, pull.exit(), pull.toString());
        assertTrue(pull.out().contains("pulled: 2 done"), pull.out() + pull.err());
        assertEquals(new java.util.HashSet<>(List.of(app, core)), new java.util.HashSet<>(b.keys()));
    }

    /**
     * A build that recompiled one member (cargo calls rustc only for what is not fresh) journals that
     * member alone; its record still names every entry of the previous record it did not replace.
     */
    @Test
    void aPartialBuildsRecordCarriesOnThePreviousRecordsUnchangedEntries() throws Exception {
        ArtifactKey macros = a.put(SyncWorld.key("macros", "1"), 1_000);
        ArtifactKey core = a.put(SyncWorld.key("core_lib", "1"), 1_000);
        ArtifactKey app = a.put(SyncWorld.key("app", "1"), 1_000);
        built(a, "full", macros, core, app);
        CliRun full = a.kache("sync", "--push", "--json");
        assertEquals(0, full.exit(), full.toString());
        assertTrue(full.out().contains(": 3 entries"), full.out());

        ArtifactKey app2 = a.put(SyncWorld.key("app", "2"), 1_000);
        built(a, "partial", app2);
        CliRun partial = a.kache("sync", "--push", "--json");

        assertEquals(0, partial.exit(), partial.toString());
        JsonNode records = new ObjectMapper().readTree(partial.out()).get("records");
        assertTrue(records.toString().contains(": 3 entries"), "macros, core_lib and the new app: " + records);
        assertTrue(records.toString().contains("carried on 2 of the previous record's 3 entries"), records.toString());
        String slot = records.toString().replaceAll("(?s).*written ([0-9a-f]{32}) and.*", "$1");
        String json = Files.readString(world.server.directory().resolve(SyncWorld.BUCKET)
                .resolve("artifacts/kache-builds/" + slot + ".json"));
        for (ArtifactKey k : List.of(macros, core, app2)) {
            assertTrue(json.contains(k.crateName() + "/" + k.cacheKey()), k + " in " + json);
        }
        assertFalse(json.contains(app.cacheKey()), "the app this build replaced is not: " + json);
    }

    /** An entry whose files are named as rustc names them: metadata only for a check, linked for a build. */
    private static ArtifactKey stored(SyncWorld.Machine m, ArtifactKey key, String... names) throws Exception {
        Path dir = Files.createDirectories(m.store().resolveSibling("work").resolve(key.crateName() + key.shortKey()));
        List<io.kache.core.entry.OutputFile> files = new java.util.ArrayList<>();
        for (String n : names) {
            Files.writeString(dir.resolve(n), n + key);
            files.add(new io.kache.core.entry.OutputFile(n, dir.resolve(n)));
        }
        try (LocalStore s = m.open()) {
            s.put(key, files, new byte[0], new byte[0], Map.of());
        }
        return key;
    }

    /**
     * {@code cargo check} after {@code cargo build}: each gets its record in slots of its own, so a fresh
     * runner's pull for a build still takes the build's entries (linked), not the check's (metadata only).
     */
    @Test
    void aCheckAfterABuildDoesNotReplaceTheBuildsRecord() throws Exception {
        Process vv = new ProcessBuilder("rustc", "-vV").redirectErrorStream(true).start();
        String banner = new String(vv.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, vv.waitFor(), banner);
        String toolchain = io.kache.core.journal.BuildDigests.toolchain(banner);
        String target = a.project().toRealPath().resolve("target").toString();
        ArtifactKey core = stored(a, SyncWorld.key("core_lib", "b"), "libcore_lib-1a.rlib", "libcore_lib-1a.rmeta",
                "core_lib-1a.d");
        ArtifactKey app = stored(a, SyncWorld.key("app", "b"), "app-2a", "app-2a.d");
        ArtifactKey coreCheck = stored(a, SyncWorld.key("core_lib", "c"), "libcore_lib-1c.rmeta", "core_lib-1c.d");
        ArtifactKey appCheck = stored(a, SyncWorld.key("app", "c"), "libapp-2c.rmeta", "app-2c.d");
        try (LocalStore s = a.open()) {
            for (ArtifactKey k : List.of(core, app, coreCheck, appCheck)) {
                s.journal().append(new BuildEvent(System.currentTimeMillis(), k.cacheKey().equals(core.cacheKey())
                        || k.equals(app) ? "cargo-build" : "cargo-check",
                        new WorkspaceSide(target, "debug", "host", toolchain, "none"), k.crateName(),
                        k.crateName().equals("app") ? "bin" : "lib", k.cacheKey(), BuildEvent.Outcome.STORED, "", 10,
                        0, 0, 0));
                if (k.equals(app)) {
                    assertEquals(0, a.kache("sync", "--push").exit(), "the build's push");
                }
            }
        }
        CliRun check = a.kache("sync", "--push", "--json");
        assertEquals(0, check.exit(), check.toString());

        SyncWorld.Machine b = world.machine("b");
        CliRun pull = b.kache("sync", "--pull");
        assertEquals(0, pull.exit(), pull.toString());
        assertTrue(pull.err().contains("build record used: "), pull.err());
        assertEquals(Set.of(core, app), Set.copyOf(b.keys()), "the build's entries: " + pull);

        SyncWorld.Machine c = world.machine("c");
        CliRun pullCheck = c.kache("sync", "--pull", "--kind", "check");
        assertEquals(0, pullCheck.exit(), pullCheck.toString());
        assertEquals(Set.of(coreCheck, appCheck), Set.copyOf(c.keys()), "the check's entries: " + pullCheck);
        SyncWorld.Machine d = world.machine("d");
        assertEquals(0, d.kache("sync", "--pull", "--kind", "all").exit());
        assertEquals(Set.of(core, app, coreCheck, appCheck), Set.copyOf(d.keys()));
    }

    /**
     * A push's record names the entries its listing found in the remote without asking for each again;
     * only an entry of a crate it did not list (one of the build's that this machine does not hold) gets
     * a HEAD.
     */
    @Test
    void theRecordTakesWhatTheListingSawAndAsksOnlyForWhatItDidNotCover() throws Exception {
        ArtifactKey macros = a.put(SyncWorld.key("macros", "1"), 1_000);
        ArtifactKey core = a.put(SyncWorld.key("core_lib", "1"), 1_000);
        ArtifactKey app = a.put(SyncWorld.key("app", "1"), 1_000);
        ArtifactKey elsewhere = SyncWorld.key("serde", "1");
        world.putObject(SyncWorld.LAYOUT.objectName(elsewhere), new byte[] {1});
        built(a, "full", macros, core, app, elsewhere);
        assertEquals(0, a.kache("sync", "--push").exit(), "the entries reach the remote");
        world.server.clearRequests();

        CliRun again = a.kache("sync", "--push", "--json");

        assertEquals(0, again.exit(), again.toString());
        JsonNode json = new ObjectMapper().readTree(again.out());
        assertEquals(0, json.get("push").get("planned").asInt(), "the listing found every entry: " + again.out());
        assertTrue(json.get("records").toString().contains(": 4 entries"), again.out());
        List<String> heads = world.server.requests().stream()
                .filter(r -> r.method().equals("HEAD") && !r.path().contains("/kache-builds/"))
                .map(r -> r.path()).toList();
        assertEquals(List.of("/" + SyncWorld.BUCKET + "/" + SyncWorld.LAYOUT.objectName(elsewhere)), heads,
                "a HEAD for the entry no listing covered, none for those the listing saw");
    }
}
