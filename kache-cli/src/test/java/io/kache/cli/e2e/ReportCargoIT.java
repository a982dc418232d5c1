package io.kache.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kache.testkit.SpyRustc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kache report} after real cargo builds: a cold build shows every crate missed and stored, a
 * warm build after {@code cargo clean} every crate hit, with the time the hits saved; in text, JSON
 * and markdown.
 */
class ReportCargoIT {

    private static final List<String> CRATES = List.of("app", "build_script_build", "core_lib", "macros");

    @TempDir
    Path tmp;

    /** How cargo reaches kache: here a JVM per call; {@link ServerReportCargoIT} uses the server. */
    Path launcher(Path binDir) throws Exception {
        return KacheLauncher.create(binDir);
    }

    /** Extra environment for every call. */
    Map<String, String> launcherEnv() {
        return Map.of();
    }

    @Test
    void reportShowsTheColdBuildsMissesThenTheWarmBuildsHitsPerCrate() throws Exception {
        Path kache = launcher(Files.createDirectories(tmp.resolve("bin")));
        SpyRustc spy = SpyRustc.create(tmp.resolve("spy"));
        DemoWorkspace ws = DemoWorkspace.copyTo(tmp.resolve("demo"), kache, spy, tmp.resolve("store"),
                Files.createDirectories(tmp.resolve("xdg")));
        ws.env.putAll(launcherEnv());

        ws.cargo("build").assertOk("cold build");
        JsonNode cold = json(report(ws, kache, "--format", "json"));
        assertEquals(0, cold.get("hits").asInt(), cold.toString());
        assertEquals(CRATES.size(), cold.get("stored").asInt(), cold.toString());
        assertEquals(Map.of("app", "stored", "build_script_build", "stored", "core_lib", "stored", "macros", "stored"),
                outcomes(cold));
        assertTrue(cold.get("compileMillis").asLong() > 0, cold.toString());

        assertEquals(CRATES, spy.takeCompiled());
        ws.cargo("clean").assertOk("clean");
        ws.cargo("build").assertOk("warm build");
        assertEquals(List.of(), spy.takeCompiled(), "the warm build compiles nothing");
        JsonNode warm = json(report(ws, kache, "--format", "json"));
        assertEquals(CRATES.size(), warm.get("hits").asInt(), warm.toString());
        assertEquals(0, warm.get("misses").asInt(), warm.toString());
        assertEquals(Map.of("app", "hit", "build_script_build", "hit", "core_lib", "hit", "macros", "hit"),
                outcomes(warm));
        assertEquals(1, warm.get("builds").size(), "the last build only: " + warm);
        assertTrue(warm.get("savedMillis").asLong() > 0, "the hits saved the compile time recorded: " + warm);
        assertTrue(warm.get("bytesRestored").asLong() > 0, warm.toString());
        assertTrue(warm.get("passthroughs").size() > 0, "probes pass through, by reason: " + warm);

        String text = report(ws, kache);
        assertTrue(text.contains("hits 4, misses 0"), text);
        for (String crate : CRATES) {
            assertTrue(text.lines().anyMatch(l -> l.strip().startsWith(crate + " ") && l.contains("hit")), text);
        }
        String markdown = report(ws, kache, "--format", "markdown");
        assertTrue(markdown.startsWith("### kache: the last build"), markdown);
        assertTrue(markdown.contains("| 4 | 0 (0) |"), markdown);
        for (String crate : CRATES) {
            // A build script's row names its package: every one is crate build_script_build.
            assertTrue(markdown.contains("| " + (crate.equals("build_script_build") ? crate + " (core-lib)" : crate)
                    + " |"), markdown);
        }

        JsonNode both = json(report(ws, kache, "--since", "1h", "--format", "json"));
        assertEquals(2, both.get("builds").size(), "--since covers both builds: " + both);
        assertEquals(CRATES.size(), both.get("hits").asInt());
        assertEquals(CRATES.size(), both.get("stored").asInt());

        // stats --since counts the same calls from the journal; a reset of the store-wide counters
        // leaves the journal, and so the window, as it was.
        JsonNode stats = json(CargoRun.run(ws.dir, ws.env, kache.toString(), "stats", "--since", "1h", "--json")
                .assertOk("kache stats --since").stdout());
        assertEquals(CRATES.size(), stats.get("hits").asInt(), stats.toString());
        assertEquals(CRATES.size(), stats.get("misses").asInt(), stats.toString());
        assertTrue(stats.get("bytesRestored").asLong() > 0, stats.toString());
        assertTrue(stats.get("passthroughs").asInt() > 0, stats.toString());
        assertFalse(stats.get("countingSince").isNull(), stats.toString());
        CargoRun.run(ws.dir, ws.env, kache.toString(), "stats", "--reset").assertOk("kache stats --reset");
        JsonNode reset = json(CargoRun.run(ws.dir, ws.env, kache.toString(), "stats", "--json")
                .assertOk("kache stats").stdout());
        assertEquals(0, reset.get("hits").asInt(), reset.toString());
        JsonNode window = json(CargoRun.run(ws.dir, ws.env, kache.toString(), "stats", "--since", "1h", "--json")
                .assertOk("kache stats --since").stdout());
        assertEquals(CRATES.size(), window.get("hits").asInt(), "the journal is not reset: " + window);
    }

    /**
     * A compile kache passes through (cargo rustc -- --emit=asm) is a call of its build and crate: the
     * report's last build is that one, with the crate passed through (found by a hunt: the report
     * still showed the build before, and the crate in no row).
     */
    @Test
    void aCompilePassedThroughIsInItsBuildsReport() throws Exception {
        Path kache = launcher(Files.createDirectories(tmp.resolve("bin")));
        DemoWorkspace ws = DemoWorkspace.copyTo(tmp.resolve("demo"), kache, SpyRustc.create(tmp.resolve("spy")),
                tmp.resolve("store"), Files.createDirectories(tmp.resolve("xdg")));
        ws.env.putAll(launcherEnv());
        ws.cargo("build").assertOk("build");
        ws.cargo("rustc", "-p", "app", "--bin", "app", "--", "--emit=asm").assertOk("cargo rustc, passed through");
        JsonNode last = json(report(ws, kache, "--format", "json"));
        assertEquals(1, last.get("builds").size(), last.toString());
        assertEquals("passthrough (--emit=asm not modelled)", outcomes(last).get("app"), last.toString());
    }

    private static String report(DemoWorkspace ws, Path kache, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(kache.toString(), "report"));
        command.addAll(List.of(args));
        return CargoRun.run(ws.dir, ws.env, command.toArray(String[]::new)).assertOk("kache report").stdout();
    }

    private static JsonNode json(String text) throws Exception {
        return new ObjectMapper().readTree(text);
    }

    private static Map<String, String> outcomes(JsonNode report) {
        Map<String, String> m = new TreeMap<>();
        report.get("crates").forEach(c -> m.put(c.get("crate").asText(),
                String.join(",", new ObjectMapper().convertValue(c.get("outcomes"), String[].class))));
        return m;
    }
}
