package io.kache.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.testkit.SpyRustc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With real cargo: {@code kache why-miss CRATE} names what made the crate's latest miss differ from
 * the nearest entry the store has for it — an edited source file by name, a changed
 * {@code option_env!} variable by name (never its value), a flag given through {@code RUSTFLAGS}.
 * And {@code kache list} tells the build scripts apart by their package.
 */
class WhyMissCargoIT {

    static final Map<String, String> FILES = Map.of(
            "Cargo.toml", "[workspace]\nmembers = [\"greet-lib\", \"app\"]\nresolver = \"2\"\n",
            "greet-lib/Cargo.toml", SmallWorkspace.manifest("greet-lib", ""),
            "greet-lib/src/lib.rs", """
                    mod util;
                    pub fn greet() -> String {
                        format!("{} {}", util::word(), option_env!("GREET_FLAVOR").unwrap_or("plain"))
                    }
                    """,
            "greet-lib/src/util.rs", "pub fn word() -> &'static str { \"hello\" }\n",
            "greet-lib/build.rs", "fn main() { println!(\"cargo:rustc-cfg=greet_built\"); }\n",
            "app/build.rs", "fn main() {}\n",
            "app/Cargo.toml", SmallWorkspace.manifest("app", "[dependencies]\ngreet-lib = { path = \"../greet-lib\" }\n"),
            "app/src/main.rs", "fn main() { println!(\"{}\", greet_lib::greet()); }\n");

    @TempDir
    Path tmp;

    private Path kache;
    private SmallWorkspace ws;

    @BeforeEach
    void setUp() throws Exception {
        kache = KacheLauncher.create(Files.createDirectories(tmp.resolve("bin")));
        SpyRustc spy = SpyRustc.create(tmp.resolve("spy"));
        ws = SmallWorkspace.write(tmp.resolve("ws"), FILES, kache, spy, tmp.resolve("store"),
                Files.createDirectories(tmp.resolve("xdg")));
    }

    @Test
    void anEditedSourceIsNamed() throws Exception {
        build(Map.of());
        Files.writeString(ws.dir.resolve("greet-lib/src/util.rs"), "pub fn word() -> &'static str { \"hi\" }\n");
        build(Map.of());
        String why = whyMiss("greet-lib");
        assertTrue(why.contains("source file greet-lib/src/util.rs: its content changed"), why);
        assertFalse(why.contains("lib.rs"), "only the edited file differs:\n" + why);
        String json = whyMiss("greet_lib", "--json");
        assertTrue(json.contains("\"kind\": \"source-file\", \"name\": \"greet-lib/src/util.rs\", \"change\": \"changed\""),
                json);
    }

    @Test
    void hitsAfterTheMissAreSaid() throws Exception {
        build(Map.of());
        Files.writeString(ws.dir.resolve("greet-lib/src/util.rs"), "pub fn word() -> &'static str { \"hi\" }\n");
        build(Map.of());
        ws.cargo(Map.of(), "clean").assertOk("cargo clean");
        build(Map.of());
        String why = whyMiss("greet-lib");
        assertTrue(why.contains("Since this miss greet_lib hit 1 time"), why);
        assertTrue(whyMiss("greet-lib", "--json").contains("\"hitsSince\": 1"), why);
    }

    @Test
    void aChangedOptionEnvValueNamesTheVariableNotItsValue() throws Exception {
        build(Map.of("GREET_FLAVOR", "first-secret-value"));
        build(Map.of("GREET_FLAVOR", "second-secret-value"));
        String why = whyMiss("greet_lib");
        assertTrue(why.contains("environment variable GREET_FLAVOR (its value is not kept): its value changed"), why);
        assertFalse(why.contains("source file"), why);
        String stored = String.join("\n", contents(tmp.resolve("store").resolve("why")));
        assertFalse(stored.contains("secret-value"), "no value is kept: " + stored);
    }

    @Test
    void aFlagThroughRustflagsIsNamed() throws Exception {
        build(Map.of());
        build(Map.of("RUSTFLAGS", "-C opt-level=1"));
        String why = whyMiss("greet_lib");
        assertTrue(why.contains("flag -C opt-level: present now, not in the entry"), why);
        // cargo's own hashes may change along with it; they are listed after the cause, never instead.
        int cause = why.indexOf("flag -C opt-level");
        int metadata = why.indexOf("flag -C metadata");
        assertTrue(metadata < 0 || metadata > cause, why);
    }

    @Test
    void anEntryOfTheSameKeyThatCouldNotBeReplayedIsSaidNotADifferenceFromAnOlderOne() throws Exception {
        // A warning: the entry keeps it as rendered for cargo's default --message-format.
        Files.writeString(ws.dir.resolve("greet-lib/src/util.rs"),
                "pub fn word() -> &'static str { \"hello\" }\nfn unused_helper() {}\n");
        build(Map.of("GREET_FLAVOR", "a"));
        build(Map.of("GREET_FLAVOR", "b"));
        ws.cargo(Map.of(), "clean").assertOk("cargo clean");
        ws.cargo(Map.of("GREET_FLAVOR", "b"), "build", "--message-format", "short").assertOk("cargo build");
        String why = whyMiss("greet-lib");
        assertTrue(why.contains("Nothing in its key differed: the entry of this very call key"), why);
        assertTrue(why.contains("its warnings were rendered with other diagnostic flags"), why);
        assertFalse(why.contains("GREET_FLAVOR"), "no made-up difference from the older entry:\n" + why);
        String json = whyMiss("greet-lib", "--json");
        assertTrue(json.contains("\"unused\": {\"entry\": "), json);
        assertTrue(json.contains("\"nearest\": null, \"differences\": []"), json);
    }

    @Test
    void aFirstBuildWasNeverCachedAndManifestPathFindsTheWorkspaceConfiguration() throws Exception {
        // The store is named by the workspace's .kache.toml only: why-miss must read the same one.
        Path store = tmp.resolve("project-store");
        Files.writeString(ws.dir.resolve(".kache.toml"), "[cache]\nlocal_store = \"" + store + "\"\n");
        ws.env.remove("KACHE_CACHE_DIR");
        build(Map.of());
        Map<String, String> env = new HashMap<>(ws.env);
        CargoRun.Result r = CargoRun.run(tmp, env, Set.of("KACHE_CACHE_DIR"), kache.toString(), "why-miss", "app",
                "--manifest-path", ws.dir.resolve("Cargo.toml").toString()).assertOk("why-miss");
        assertTrue(r.stdout().contains("never cached here with that call key"), r.stdout());
        CargoRun.Result none = CargoRun.run(tmp, env, Set.of("KACHE_CACHE_DIR"), kache.toString(), "why-miss", "nope",
                "--manifest-path", ws.dir.resolve("Cargo.toml").toString()).assertOk("why-miss");
        assertTrue(none.stdout().contains("kache recorded no miss of nope in " + store), none.stdout());
    }

    @Test
    void listNamesEachBuildScriptsPackage() throws Exception {
        build(Map.of());
        CargoRun.Result list = CargoRun.run(ws.dir, ws.env, kache.toString(), "list").assertOk("kache list");
        assertTrue(list.stdout().contains("build_script_build (greet-lib)"), list.stdout());
        assertTrue(list.stdout().contains("build_script_build (app)"), list.stdout());
        CargoRun.Result json = CargoRun.run(ws.dir, ws.env, kache.toString(), "list", "build_script_build", "--json")
                .assertOk("kache list --json");
        assertTrue(json.stdout().contains("\"package\": \"greet-lib\""), json.stdout());
    }

    private void build(Map<String, String> env) throws Exception {
        ws.cargo(env, "build").assertOk("cargo build");
    }

    private String whyMiss(String... args) throws Exception {
        String[] command = new String[args.length + 2];
        command[0] = kache.toString();
        command[1] = "why-miss";
        System.arraycopy(args, 0, command, 2, args.length);
        CargoRun.Result r = CargoRun.run(ws.dir, ws.env, command).assertOk("kache why-miss");
        return r.stdout();
    }

    private static List<String> contents(Path dir) throws Exception {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(f -> {
                try {
                    return Files.readString(f);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }
}
