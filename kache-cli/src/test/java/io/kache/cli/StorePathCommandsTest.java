package io.kache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store commands on a path that holds no store: nothing there (a mistyped KACHE_CACHE_DIR) is an
 * empty store none of them creates, a file there is an error that says so; both name where the path was set.
 */
class StorePathCommandsTest {

    /** Every command that works on the local store, with arguments it needs. */
    private static final List<List<String>> STORE_COMMANDS = List.of(List.of("stats"), List.of("list"),
            List.of("report"), List.of("why-miss", "greet"), List.of("gc"), List.of("purge"));

    @TempDir
    Path tmp;
    Map<String, String> env;

    @BeforeEach
    void setUp() {
        env = new HashMap<>(Map.of("HOME", tmp.toString(), "XDG_CONFIG_HOME", tmp.resolve("xdg").toString()));
    }

    @Test
    void gcAndPurgeNeverCreateAMistypedStoreAndSaySoAsStatsDoes() {
        Path typo = tmp.resolve("stroe");
        env.put("KACHE_CACHE_DIR", typo.toString());
        for (String command : List.of("gc", "purge", "stats")) {
            CliRun r = CliRun.of(env, tmp, command);
            assertEquals(0, r.exit(), "no store is an empty one, for every command\n" + r);
            assertTrue(r.err().contains("kache: no local store at " + typo + " yet")
                    && r.err().contains("set by environment variable KACHE_CACHE_DIR"), r.toString());
            assertFalse(Files.exists(typo), command + " left a store behind");
        }
    }

    @Test
    void aStorePathFromTheConfigFileIsNamedWithItsLine() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project"));
        Files.writeString(project.resolve(".kache.toml"), "[cache]\nlocal_store = \"" + tmp.resolve("stroe") + "\"\n");
        CliRun r = CliRun.of(env, project, "purge");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.err().contains("set by cache.local_store at " + project.resolve(".kache.toml") + ":2"), r.toString());
        assertFalse(Files.exists(tmp.resolve("stroe")));
    }

    @Test
    void aFileAsTheStoreIsSaidToBeAFileByEveryCommand() throws Exception {
        Path file = Files.writeString(tmp.resolve("store"), "not a store");
        env.put("KACHE_CACHE_DIR", file.toString());
        for (List<String> command : STORE_COMMANDS) {
            CliRun r = CliRun.of(env, tmp, command.toArray(String[]::new));
            assertEquals(1, r.exit(), r.toString());
            assertEquals("", r.out(), "no answer as if the store were empty\n" + r);
            assertTrue(r.err().contains("the local store " + file + " is a file, not a directory (set by environment"
                    + " variable KACHE_CACHE_DIR)"), r.toString());
            assertFalse(r.err().contains("nothing was cached"), r.toString());
        }
        assertEquals("not a store", Files.readString(file));
    }
}
