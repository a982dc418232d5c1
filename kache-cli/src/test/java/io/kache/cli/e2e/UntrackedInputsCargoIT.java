package io.kache.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.core.store.LocalStore;
import io.kache.testkit.SpyRustc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With real cargo: a proc-macro that reads {@code std::env::var} at expansion time, which rustc's
 * dep-info does not list. Without configuration kache serves the old expansion after
 * {@code cargo clean} (the documented limit); {@code key_env_vars} keys the variable;
 * {@code bypass_crates} always compiles.
 */
class UntrackedInputsCargoIT {

    static final Map<String, String> FILES = Map.of(
            "Cargo.toml", "[workspace]\nmembers = [\"envmacro\", \"app\"]\nresolver = \"2\"\n",
            "envmacro/Cargo.toml", SmallWorkspace.manifest("envmacro", "[lib]\nproc-macro = true\n"),
            "envmacro/src/lib.rs", """
                    use proc_macro::TokenStream;

                    /// Expands to the value MACRO_GREETING had when the calling crate was compiled.
                    #[proc_macro]
                    pub fn greeting(_input: TokenStream) -> TokenStream {
                        let value = std::env::var("MACRO_GREETING").unwrap_or_default();
                        format!("{:?}", value).parse().unwrap()
                    }
                    """,
            "app/Cargo.toml", SmallWorkspace.manifest("app", "[dependencies]\nenvmacro = { path = \"../envmacro\" }\n"),
            "app/src/main.rs", "fn main() { println!(\"{}\", envmacro::greeting!()); }\n");

    @TempDir
    Path tmp;

    private SpyRustc spy;
    private SmallWorkspace ws;

    @BeforeEach
    void setUp() throws Exception {
        Path kache = KacheLauncher.create(Files.createDirectories(tmp.resolve("bin")));
        spy = SpyRustc.create(tmp.resolve("spy"));
        ws = SmallWorkspace.write(tmp.resolve("ws"), FILES, kache, spy, tmp.resolve("store"),
                Files.createDirectories(tmp.resolve("xdg")));
        // The toolchain's own rustc, not the spy: a script in front of rustc has its environment keyed
        // (it may choose flags by it), and MACRO_GREETING would then key every crate. What compiled is
        // told by the entries each build added.
        ws.env.put("RUSTC", SpyRustc.realRustc());
    }

    /** The crates that got a new entry since the last call: those that compiled (a miss stores). */
    private List<String> takeCompiled() throws Exception {
        Map<String, Integer> now = new java.util.TreeMap<>();
        try (LocalStore s = LocalStore.open(tmp.resolve("store"), 1L << 34)) {
            assertTrue(s.awaitStoresInFlight(java.time.Duration.ofSeconds(60)), "stores in flight landed");
            for (var e : s.list(java.util.Optional.empty())) {
                now.merge(e.key().crateName(), 1, Integer::sum);
            }
        }
        List<String> grown = now.entrySet().stream()
                .filter(e -> e.getValue() > entries.getOrDefault(e.getKey(), 0)).map(Map.Entry::getKey).sorted().toList();
        entries = now;
        return grown;
    }

    private Map<String, Integer> entries = Map.of();

    @Test
    void withoutConfigurationTheOldExpansionIsServedAfterClean() throws Exception {
        assertEquals("hello\n", build(Map.of("MACRO_GREETING", "hello")));
        takeCompiled();
        ws.cargo(Map.of(), "clean").assertOk("clean");
        // The limit kache documents: rustc never reports what a proc-macro reads.
        assertEquals("hello\n", build(Map.of("MACRO_GREETING", "bonjour")));
        assertEquals(List.of(), takeCompiled());
    }

    @Test
    void keyEnvVarsCompilesTheChangedValueAnew() throws Exception {
        // A plain name keys every call; CRATE:VAR only the crate named (the one that expands the macro).
        Map<String, List<String>> compiled = Map.of("MACRO_GREETING", List.of("app", "envmacro"), "app:MACRO_*", List.of("app"));
        for (String rule : List.of("MACRO_GREETING", "app:MACRO_*")) {
            // Values of its own per rule: the key holds the values, so equal values would hit the other's entries.
            String first = rule.startsWith("app") ? "hallo" : "hello";
            String second = rule.startsWith("app") ? "hola" : "bonjour";
            Map<String, String> keyed = Map.of("KACHE_KEY_ENV_VARS", rule);
            assertEquals(first + "\n", build(with(keyed, "MACRO_GREETING", first)));
            ws.cargo(Map.of(), "clean").assertOk("clean");
            takeCompiled();
            assertEquals(second + "\n", build(with(keyed, "MACRO_GREETING", second)), rule);
            assertEquals(compiled.get(rule), takeCompiled(), rule);
            ws.cargo(Map.of(), "clean").assertOk("clean");
            assertEquals(first + "\n", build(with(keyed, "MACRO_GREETING", first)), rule + ": the first value hits again");
            assertEquals(List.of(), takeCompiled());
            ws.cargo(Map.of(), "clean").assertOk("clean");
        }
    }

    @Test
    void bypassCratesAlwaysCompileAndCountAsPassthroughs() throws Exception {
        Map<String, String> bypass = Map.of("KACHE_BYPASS_CRATES", "app");
        assertEquals("hello\n", build(with(bypass, "MACRO_GREETING", "hello")));
        takeCompiled();
        ws.cargo(Map.of(), "clean").assertOk("clean");
        assertEquals("bonjour\n", build(with(bypass, "MACRO_GREETING", "bonjour")));
        assertEquals(List.of(), takeCompiled(), "app compiles every time (its output has the new value) and is never"
                + " stored; envmacro hits");

        CargoRun.Result stats = CargoRun.run(ws.dir, ws.env, tmp.resolve("bin/kache").toString(), "stats");
        stats.assertOk("kache stats");
        assertTrue(stats.stdout().contains("bypass_crates: 2"), stats.stdout());
    }

    private String build(Map<String, String> env) throws Exception {
        ws.cargo(env, "build").assertOk("build with " + env);
        return ws.run(ws.dir.resolve("target/debug/app"));
    }

    private static Map<String, String> with(Map<String, String> base, String name, String value) {
        Map<String, String> m = new HashMap<>(base);
        m.put(name, value);
        return m;
    }
}
