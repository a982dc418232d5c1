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
 * And {@code kache list}, {@code kache why-miss} and {@code kache report} tell the build scripts
 * (every one is crate {@code build_script_build}) apart by their package.
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
        // Once, not for good: the compile added its rendering to the entry.
        assertTrue(why.contains("this call's rendering was added to the entry"), why);
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

    @Test
    void aBuildScriptsMissIsExplainedAgainstItsOwnPackagesEntriesAndReportedOnItsOwnRow() throws Exception {
        String appBuildRs = Files.readString(ws.dir.resolve("app/build.rs"));
        Files.delete(ws.dir.resolve("app/build.rs"));
        build(Map.of());
        // app's build script compiles for the first time: greet-lib's is no entry of it.
        Files.writeString(ws.dir.resolve("app/build.rs"), appBuildRs);
        build(Map.of());
        String first = whyMiss("build_script_build", "--package", "app");
        assertTrue(first.startsWith("build_script_build (package app, build-script) last missed at"), first);
        assertTrue(first.contains("No entry to compare with"), first);
        assertFalse(first.contains("greet-lib"), "not compared with greet-lib's build script:\n" + first);

        Files.writeString(ws.dir.resolve("app/build.rs"), "fn main() { println!(\"cargo:rustc-env=APP_TAG=2\"); }\n");
        build(Map.of());
        String edited = whyMiss("build_script_build", "--package", "app");
        assertTrue(edited.contains("source file app/build.rs: its content changed"), edited);
        assertFalse(edited.contains("greet-lib"), edited);
        String json = whyMiss("build_script_build", "--package", "app", "--json");
        assertTrue(json.startsWith("{\"crate\": \"build_script_build\", \"package\": \"app\", \"targetKind\":"
                + " \"build-script\""), json);

        // Without --package the name is two units: a usage error naming each, and each is explained alone.
        CargoRun.Result both = CargoRun.run(ws.dir, ws.env, kache.toString(), "why-miss", "build_script_build");
        assertEquals(2, both.exitCode(), both.stderr());
        assertTrue(both.stderr().contains("--package app --kind build-script")
                && both.stderr().contains("--package greet-lib --kind build-script"), both.stderr());
        String greetLib = whyMiss("build_script_build", "--package", "greet-lib");
        assertTrue(greetLib.startsWith("build_script_build (package greet-lib, build-script) last missed at"), greetLib);
        String bothJson = CargoRun.run(ws.dir, ws.env, kache.toString(), "why-miss", "build_script_build", "--json")
                .stdout();
        assertTrue(bothJson.contains("\"error\": \"ambiguous\", \"candidates\": [{\"package\": \"app\""), bothJson);
        String none = whyMiss("build_script_build", "--package", "nope");
        assertTrue(none.contains("kache recorded no miss of build_script_build of package nope"), none);
        assertTrue(none.contains("package app (build-script)"), none);

        CargoRun.Result report = CargoRun.run(ws.dir, ws.env, kache.toString(), "report", "--since", "1h")
                .assertOk("kache report");
        List<String> rows = report.stdout().lines().map(String::strip)
                .filter(l -> l.startsWith("build_script_build")).toList();
        assertEquals(2, rows.size(), report.stdout());
        assertTrue(rows.get(0).startsWith("build_script_build (app) ") && rows.get(0).contains("stored, stored"),
                "app's build script compiled twice, on its own row:\n" + report.stdout());
        assertTrue(rows.get(1).startsWith("build_script_build (greet-lib) ")
                && rows.get(1).contains("build-script") && !rows.get(1).contains("stored, stored"),
                "greet-lib's compiled once:\n" + report.stdout());
        assertEquals(rows.get(0).indexOf(" build-script "), rows.get(1).indexOf(" build-script "),
                "the columns stay aligned past a long name:\n" + report.stdout());
        String reportJson = CargoRun.run(ws.dir, ws.env, kache.toString(), "report", "--format", "json")
                .assertOk("kache report --format json").stdout();
        assertTrue(reportJson.contains("{\"crate\": \"build_script_build\", \"package\": \"app\""), reportJson);
    }

    @Test
    void aLibAndABinOfOneNameEachKeepTheirOwnLatestMiss() throws Exception {
        // A package's lib and bin are both crate greet: the bin compiles after the lib and its miss
        // must not take the place of the lib's.
        SmallWorkspace greet = SmallWorkspace.write(tmp.resolve("greet"), Map.of(
                "Cargo.toml", SmallWorkspace.manifest("greet", ""),
                "src/lib.rs", "pub fn word() -> &'static str { \"hello\" }\n",
                "src/main.rs", "fn main() { println!(\"{}\", greet::word()); }\n"),
                kache, SpyRustc.create(tmp.resolve("spy2")), tmp.resolve("store"), tmp.resolve("xdg"));
        greet.cargo(Map.of(), "build").assertOk("cargo build");
        Files.writeString(greet.dir.resolve("src/lib.rs"), "pub fn word() -> &'static str { \"hi\" }\n");
        greet.cargo(Map.of(), "build").assertOk("cargo build");
        String lib = CargoRun.run(greet.dir, greet.env, kache.toString(), "why-miss", "greet", "--kind", "lib")
                .assertOk("why-miss").stdout();
        assertTrue(lib.startsWith("greet (package greet, lib) last missed at"), lib);
        assertTrue(lib.contains("source file src/lib.rs: its content changed"), "the lib's own change:\n" + lib);
        String bin = CargoRun.run(greet.dir, greet.env, kache.toString(), "why-miss", "greet", "--kind", "bin")
                .assertOk("why-miss").stdout();
        assertTrue(bin.startsWith("greet (package greet, bin) last missed at"), bin);
        assertTrue(bin.contains("dependency greet (the content of its compiled artifact): changed"),
                "the bin's, against the bin's entry:\n" + bin);
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
