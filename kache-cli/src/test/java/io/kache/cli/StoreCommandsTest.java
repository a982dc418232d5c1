package io.kache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.core.entry.OutputFile;
import io.kache.core.key.InputSet;
import io.kache.core.store.CallKeyIndex;
import io.kache.core.store.LocalStore;
import io.kache.core.Invocation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class StoreCommandsTest {

    @TempDir
    Path tmp;

    Map<String, String> env;
    ArtifactKey serde = new ArtifactKey("serde", "a".repeat(64));
    ArtifactKey serdeJson = new ArtifactKey("serde_json", "b".repeat(64));

    record Run(int code, String out, String err) {
    }

    /** Runs {@code kache ARGS} in-process, as Main would, with this test's environment. */
    Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = KacheCli.run(new Invocation(List.of(args), env, tmp, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @BeforeEach
    void fill() throws Exception {
        env = Map.of("KACHE_CACHE_DIR", tmp.resolve("store").toString(), "HOME", tmp.toString());
        try (LocalStore store = LocalStore.open(tmp.resolve("store"), 1L << 30)) {
            for (ArtifactKey k : List.of(serde, serdeJson)) {
                Path f = tmp.resolve("lib" + k.crateName() + ".rlib");
                Files.writeString(f, "content of " + k);
                store.put(k, List.of(new OutputFile(f.getFileName().toString(), f)), null, null, Map.of());
            }
            store.recordHit(10);
            store.recordMiss();
            store.recordPassthrough("incremental");
        }
    }

    @Test
    void listShowsEntriesOfOneCrateExactly() {
        Run r = run("list", "serde");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("serde ") && r.out().contains(serde.shortKey()), r.out());
        assertFalse(r.out().contains("serde_json"), r.out());
        assertTrue(r.out().contains("1 entry"), r.out());
    }

    @Test
    void listJsonIsAnArrayOfEntries() {
        Run r = run("list", "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().strip().startsWith("[") && r.out().strip().endsWith("]"), r.out());
        assertTrue(r.out().contains("\"crate\": \"serde_json\", \"key\": \"" + serdeJson.cacheKey() + "\""), r.out());
    }

    @Test
    void listRefusesAnInvalidCrateName() {
        Run r = run("list", "serde.json");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("not a crate name"), r.err());
    }

    @Test
    void statsShowsCounters() {
        Run r = run("stats");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("entries          2"), r.out());
        assertTrue(r.out().contains("hits             1"), r.out());
        assertTrue(r.out().contains("misses           1"), r.out());
        assertTrue(r.out().contains("incremental: 1"), r.out());
        Run json = run("stats", "--json");
        assertTrue(json.out().contains("\"entries\": 2") && json.out().contains("\"passthroughReasons\": {\"incremental\": 1}"),
                json.out());
    }

    @Test
    void gcWithMaxAgeRemovesOldEntries() throws Exception {
        Files.setLastModifiedTime(tmp.resolve("store/entries/serde").resolve(serde.cacheKey()),
                FileTime.from(Instant.now().minusSeconds(10 * 86400)));
        Run r = run("gc", "--max-age", "7d");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("removed 1 entries and 1 blobs"), r.out());
        try (LocalStore store = LocalStore.open(tmp.resolve("store"), 1L << 30)) {
            assertFalse(store.contains(serde));
            assertTrue(store.contains(serdeJson));
        }
    }

    @Test
    void gcAndPurgeForgetTheCallKeysOfRemovedEntries() throws Exception {
        CallKeyIndex manifests = callKeyIndex();
        InputSet inputs = new InputSet(List.of(), List.of());
        String serdeCall = "c".repeat(64);
        String jsonCall = "d".repeat(64);
        manifests.record(serdeCall, new CallKeyIndex.Candidate(serde.cacheKey(), inputs));
        manifests.record(jsonCall, new CallKeyIndex.Candidate(serdeJson.cacheKey(), inputs));
        // Recorded well before the commands list the store's keys, as a build's would be.
        for (String call : List.of(serdeCall, jsonCall)) {
            Files.setLastModifiedTime(tmp.resolve("store/manifests").resolve(call.substring(0, 2)).resolve(call),
                    FileTime.from(Instant.now().minusSeconds(86400)));
        }
        Files.setLastModifiedTime(tmp.resolve("store/entries/serde").resolve(serde.cacheKey()),
                FileTime.from(Instant.now().minusSeconds(10 * 86400)));

        Run gc = run("gc", "--max-age", "7d");
        assertEquals(0, gc.code(), gc.err());
        assertTrue(gc.out().contains("; 1 call key of removed entries forgotten"), gc.out());
        assertEquals(List.of(), manifests.candidates(serdeCall));
        assertEquals(1, manifests.candidates(jsonCall).size());

        Run purge = run("purge");
        assertEquals(0, purge.code(), purge.err());
        assertTrue(purge.out().contains("; 1 call key of removed entries forgotten"), purge.out());
        assertEquals(List.of(), manifests.candidates(jsonCall));
    }

    @Test
    void withARemoteTheCallKeysOfRemovedEntriesAreKeptForReadThrough() throws Exception {
        CallKeyIndex manifests = callKeyIndex();
        String serdeCall = "c".repeat(64);
        manifests.record(serdeCall, new CallKeyIndex.Candidate(serde.cacheKey(), new InputSet(List.of(), List.of())));
        Files.setLastModifiedTime(tmp.resolve("store/manifests/cc").resolve(serdeCall),
                FileTime.from(Instant.now().minusSeconds(86400)));
        env = Map.of("KACHE_CACHE_DIR", tmp.resolve("store").toString(), "HOME", tmp.toString(),
                "KACHE_S3_BUCKET", "team-cache");

        Run purge = run("purge");
        assertEquals(0, purge.code(), purge.err());
        assertFalse(purge.out().contains("forgotten"), purge.out());
        assertEquals(1, manifests.candidates(serdeCall).size());
    }

    @Test
    void gcRefusesAnInvalidDurationWithoutTouchingTheStore() {
        Run r = run("gc", "--max-age", "7 days");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("is not a duration"), r.err());
    }

    @Test
    void purgeOneCrateThenAll() throws Exception {
        Run r = run("purge", "--crate-name", "serde");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("removed 1 entry of crate serde"), r.out());
        try (LocalStore store = LocalStore.open(tmp.resolve("store"), 1L << 30)) {
            assertTrue(store.contains(serdeJson));
        }
        assertEquals(0, run("purge").code());
        assertTrue(run("list").out().contains("0 entries"));
    }

    @Test
    void theStoreIsTheOneTheConfigurationNames() throws Exception {
        Files.writeString(tmp.resolve(".kache.toml"), "[cache]\nlocal_store = \"" + tmp.resolve("other") + "\"\n");
        env = Map.of("HOME", tmp.toString());
        Run fromFile = run("stats");
        assertEquals(0, fromFile.code(), fromFile.err());
        assertTrue(fromFile.out().contains(tmp.resolve("other").toString()), fromFile.out());
        env = Map.of("HOME", tmp.toString(), "KACHE_CACHE_DIR", tmp.resolve("store").toString());
        Run fromEnv = run("stats");
        assertTrue(fromEnv.out().contains(tmp.resolve("store").toString()), fromEnv.out());
    }

    @Test
    void aBrokenConfigurationExitsTwo() throws Exception {
        env = Map.of("HOME", tmp.toString(), "KACHE_MAX_SIZE", "50XB");
        Run r = run("list");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("KACHE_MAX_SIZE"), r.err());
    }

    @Test
    void commandsAreRegistered() {
        CommandLine cl = new CommandLine(new KacheCli(new io.kache.core.Invocation(List.of(), Map.of(), Path.of("/"),
                System.in, System.out, System.err)));
        assertTrue(cl.getSubcommands().keySet().containsAll(List.of("list", "stats", "gc", "purge")));
    }

    private final List<LocalStore> opened = new ArrayList<>();

    /** The call-key index of the store the commands use, through a store this test opens. */
    private CallKeyIndex callKeyIndex() throws Exception {
        LocalStore store = LocalStore.open(tmp.resolve("store"), 1L << 30);
        opened.add(store);
        return store.callKeyIndex();
    }

    @AfterEach
    void closeStores() throws Exception {
        for (LocalStore s : opened) {
            s.close();
        }
    }
}
