package io.kache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.core.entry.OutputFile;
import io.kache.core.store.LocalStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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

    Run run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
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
        Run r = run(new ListCommand(env), "serde");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("serde ") && r.out().contains(serde.shortKey()), r.out());
        assertFalse(r.out().contains("serde_json"), r.out());
        assertTrue(r.out().contains("1 entry"), r.out());
    }

    @Test
    void listJsonIsAnArrayOfEntries() {
        Run r = run(new ListCommand(env), "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().strip().startsWith("[") && r.out().strip().endsWith("]"), r.out());
        assertTrue(r.out().contains("\"crate\": \"serde_json\", \"key\": \"" + serdeJson.cacheKey() + "\""), r.out());
    }

    @Test
    void listRefusesAnInvalidCrateName() {
        Run r = run(new ListCommand(env), "serde-json");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("not a crate name"), r.err());
    }

    @Test
    void statsShowsCounters() {
        Run r = run(new StatsCommand(env));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("entries          2"), r.out());
        assertTrue(r.out().contains("hits             1"), r.out());
        assertTrue(r.out().contains("misses           1"), r.out());
        assertTrue(r.out().contains("incremental: 1"), r.out());
        Run json = run(new StatsCommand(env), "--json");
        assertTrue(json.out().contains("\"entries\": 2") && json.out().contains("\"passthroughReasons\": {\"incremental\": 1}"),
                json.out());
    }

    @Test
    void gcWithMaxAgeRemovesOldEntries() throws Exception {
        Files.setLastModifiedTime(tmp.resolve("store/entries/serde").resolve(serde.cacheKey()),
                FileTime.from(Instant.now().minusSeconds(10 * 86400)));
        Run r = run(new GcCommand(env), "--max-age", "7d");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("removed 1 entries and 1 blobs"), r.out());
        try (LocalStore store = LocalStore.open(tmp.resolve("store"), 1L << 30)) {
            assertFalse(store.contains(serde));
            assertTrue(store.contains(serdeJson));
        }
    }

    @Test
    void gcRefusesAnInvalidDurationWithoutTouchingTheStore() {
        Run r = run(new GcCommand(env), "--max-age", "7 days");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("is not a duration"), r.err());
    }

    @Test
    void purgeOneCrateThenAll() throws Exception {
        Run r = run(new PurgeCommand(env), "--crate-name", "serde");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("removed 1 entry of crate serde"), r.out());
        try (LocalStore store = LocalStore.open(tmp.resolve("store"), 1L << 30)) {
            assertTrue(store.contains(serdeJson));
        }
        assertEquals(0, run(new PurgeCommand(env)).code());
        assertTrue(run(new ListCommand(env)).out().contains("0 entries"));
    }

    @Test
    void storeLocationFollowsXdgThenHome() {
        assertEquals(Path.of("/x/kache"), LocalStoreLocation.fromEnv(Map.of("XDG_CACHE_HOME", "/x", "HOME", "/h")).root());
        assertEquals(Path.of("/h/.cache/kache"), LocalStoreLocation.fromEnv(Map.of("HOME", "/h")).root());
        assertEquals(5L << 30, LocalStoreLocation.fromEnv(Map.of("HOME", "/h", "KACHE_MAX_SIZE", "5GiB")).maxSizeBytes());
        assertEquals(LocalStoreLocation.DEFAULT_MAX_SIZE, LocalStoreLocation.fromEnv(Map.of("HOME", "/h")).maxSizeBytes());
    }

    @Test
    void commandsAreRegistered() {
        CommandLine cl = new CommandLine(new KacheCli(new io.kache.core.Invocation(List.of(), Map.of(), Path.of("/"),
                System.in, System.out, System.err)));
        assertTrue(cl.getSubcommands().keySet().containsAll(List.of("list", "stats", "gc", "purge")));
    }
}
