package io.kache.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.core.store.LocalStore;
import io.kache.core.store.StoreStats;
import io.kache.testkit.SpyRustc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proof with real cargo: the demo workspace built through kache with a spy rustc that logs
 * every compilation that reaches the compiler.
 */
class WrapperCargoIT {

    private static final List<String> ALL_CRATES = List.of("app", "build_script_build", "core_lib", "macros");

    @TempDir
    Path tmp;

    private Path kache;
    private SpyRustc spy;
    private Path store;

    /** How cargo reaches kache: here a JVM per call; {@link ServerWrapperCargoIT} uses the server. */
    Path launcher(Path binDir) throws Exception {
        return KacheLauncher.create(binDir);
    }

    /** Extra environment for every build. */
    Map<String, String> launcherEnv() {
        return Map.of();
    }

    @BeforeEach
    void setUp() throws Exception {
        kache = launcher(Files.createDirectories(tmp.resolve("bin")));
        spy = SpyRustc.create(tmp.resolve("spy"));
        store = tmp.resolve("store");
    }

    private DemoWorkspace workspace(String name) throws Exception {
        DemoWorkspace ws = DemoWorkspace.copyTo(tmp.resolve(name), kache, spy, store,
                Files.createDirectories(tmp.resolve("xdg")));
        ws.env.putAll(launcherEnv());
        return ws;
    }

    @Test
    void warmBuildAfterCleanCompilesNothingAndRunsTheSame() throws Exception {
        DemoWorkspace ws = workspace("ws");
        ws.cargo("build").assertOk("cold build");
        assertEquals(ALL_CRATES, spy.takeCompiled());
        String cold = ws.runApp(ws.dir.resolve("target"), "debug");
        assertEquals("Hello, kache generated=42 flavor=plain tokens=3\n", cold);

        ws.cargo("clean").assertOk("clean");
        ws.cargo("build").assertOk("warm build");
        assertEquals(List.of(), spy.takeCompiled(), "a warm build after cargo clean compiles nothing");
        assertEquals(cold, ws.runApp(ws.dir.resolve("target"), "debug"));
    }

    @Test
    void aCopyAtAnotherPathHitsEverything() throws Exception {
        DemoWorkspace first = workspace("first");
        first.cargo("build").assertOk("first build");
        spy.takeCompiled();

        DemoWorkspace second = workspace("elsewhere/deeper/second");
        second.cargo("build").assertOk("second checkout");
        assertEquals(List.of(), spy.takeCompiled(), "the same project at another path shares every entry");
        assertEquals(first.runApp(first.dir.resolve("target"), "debug"),
                second.runApp(second.dir.resolve("target"), "debug"));
    }

    @Test
    void anEditMissesItsCrateAndDependentsOnly() throws Exception {
        DemoWorkspace ws = workspace("ws");
        ws.cargo("build").assertOk("cold build");
        spy.takeCompiled();

        Files.writeString(ws.dir.resolve("core-lib/src/greeting.txt"), "Bonjour,\n");
        ws.cargo("clean").assertOk("clean");
        ws.cargo("build").assertOk("build after edit");
        assertEquals(List.of("app", "core_lib"), spy.takeCompiled());
        assertEquals("Bonjour, kache generated=42 flavor=plain tokens=3\n",
                ws.runApp(ws.dir.resolve("target"), "debug"));
    }

    @Test
    void anOptionEnvChangeOrAFeatureMissesTheAffectedCrates() throws Exception {
        DemoWorkspace ws = workspace("ws");
        ws.cargo("build").assertOk("cold build");
        spy.takeCompiled();

        ws.cargo(Map.of("DEMO_FLAVOR", "spicy"), "build").assertOk("build with DEMO_FLAVOR");
        List<String> compiled = spy.takeCompiled();
        assertTrue(compiled.contains("core_lib"), "core_lib reads DEMO_FLAVOR: " + compiled);
        assertFalse(compiled.contains("macros"), "macros does not: " + compiled);
        assertEquals("Hello, kache generated=42 flavor=spicy tokens=3\n",
                ws.runApp(ws.dir.resolve("target"), "debug"));

        ws.cargo("clean").assertOk("clean");
        ws.cargo("build", "--features", "app/shout").assertOk("build with a feature");
        compiled = spy.takeCompiled();
        assertTrue(compiled.containsAll(List.of("app", "core_lib")), "feature changes core_lib and app: " + compiled);
        assertFalse(compiled.contains("macros"), "macros has no features: " + compiled);
        assertEquals("HELLO, KACHE! generated=42 flavor=plain tokens=3\n",
                ws.runApp(ws.dir.resolve("target"), "debug"));
    }

    /**
     * With {@code --target}, cargo gives build scripts and proc macros none of {@code RUSTFLAGS}: other
     * flags recompile the target's crates only, and the host's are hits whatever the variable says.
     * Real rustc, not the spy: a script in front of rustc may read the variable, so its calls key it.
     */
    @Test
    void withATargetOtherRustflagsMissTheTargetsCratesOnly() throws Exception {
        String host = CargoRun.run(tmp, Map.of(), "rustc", "-vV").assertOk("rustc -vV").stdout().lines()
                .filter(l -> l.startsWith("host: ")).findFirst().orElseThrow().substring("host: ".length());
        DemoWorkspace ws = workspace("ws");
        ws.env.remove("RUSTC");
        ws.cargo(Map.of("RUSTFLAGS", "-C opt-level=0"), "build", "--target", host).assertOk("cold build");
        StoreStats cold = stats();
        assertEquals(ALL_CRATES.size(), cold.entries(), cold.toString());

        ws.cargo("clean").assertOk("clean");
        ws.cargo(Map.of("RUSTFLAGS", "-C opt-level=1"), "build", "--target", host).assertOk("other RUSTFLAGS");
        StoreStats other = stats();
        assertEquals(2, other.hits() - cold.hits(), "the build script and the proc macro hit: " + other);
        assertEquals(ALL_CRATES.size() + 2, other.entries(), "app and core_lib compiled again: " + other);
        assertEquals("Hello, kache generated=42 flavor=plain tokens=3\n",
                ws.runApp(ws.dir.resolve("target").resolve(host), "debug"));
    }

    @Test
    void checkAfterBuildCompilesAndTestAndReleaseWork() throws Exception {
        DemoWorkspace ws = workspace("ws");
        ws.cargo("build").assertOk("build");
        spy.takeCompiled();

        ws.cargo("check").assertOk("check");
        List<String> checked = spy.takeCompiled();
        assertTrue(checked.containsAll(List.of("app", "core_lib")), "check never reuses build entries: " + checked);

        CargoRun.Result test = ws.cargo("test").assertOk("cargo test");
        assertTrue(test.stdout().contains("test tests::generated_value ... ok"), test.stdout());
        spy.takeCompiled();
        ws.cargo("build", "--release").assertOk("release build");
        assertEquals("Hello, kache generated=42 flavor=plain tokens=3\n",
                ws.runApp(ws.dir.resolve("target"), "release"));
        spy.takeCompiled();

        ws.cargo("clean").assertOk("clean");
        ws.cargo("test").assertOk("cargo test again");
        ws.cargo("build", "--release").assertOk("release again");
        assertEquals(List.of(), spy.takeCompiled(), "test and release builds are served from the cache too");
    }

    @Test
    void twoParallelBuildsIntoDifferentTargetDirsAreBothCorrect() throws Exception {
        DemoWorkspace ws = workspace("ws");
        Path t1 = tmp.resolve("target-one");
        Path t2 = tmp.resolve("target-two");
        CompletableFuture<CargoRun.Result> one = CompletableFuture.supplyAsync(() -> build(ws, t1));
        CompletableFuture<CargoRun.Result> two = CompletableFuture.supplyAsync(() -> build(ws, t2));
        one.join().assertOk("first parallel build");
        two.join().assertOk("second parallel build");
        // Same call keys at once: one process compiles, the other waits for its lock and restores.
        assertEquals(ALL_CRATES, spy.takeCompiled(), "each crate compiled once across both builds");
        String expected = "Hello, kache generated=42 flavor=plain tokens=3\n";
        assertEquals(expected, ws.runApp(t1, "debug"));
        assertEquals(expected, ws.runApp(t2, "debug"));
    }

    @Test
    void aBrokenStoreOrConfigNeverFailsTheBuild() throws Exception {
        DemoWorkspace ws = workspace("ws");
        Path notADirectory = Files.writeString(tmp.resolve("store-is-a-file"), "x");
        ws.cargo(Map.of("KACHE_CACHE_DIR", notADirectory.toString()), "build").assertOk("build with a broken store");
        assertEquals("Hello, kache generated=42 flavor=plain tokens=3\n", ws.runApp(ws.dir.resolve("target"), "debug"));
        assertEquals(ALL_CRATES, spy.takeCompiled(), "every crate compiled by rustc itself");

        ws.cargo("clean").assertOk("clean");
        CargoRun.Result broken = ws.cargo(Map.of("KACHE_COMPRESSION_LEVEL", "0"), "build");
        broken.assertOk("build with a broken configuration");
        assertTrue(broken.stderr().contains("KACHE_COMPRESSION_LEVEL"), "the problem is named: " + broken.stderr());
        assertEquals("Hello, kache generated=42 flavor=plain tokens=3\n", ws.runApp(ws.dir.resolve("target"), "debug"));

        ws.cargo("clean").assertOk("clean");
        ws.cargo(Map.of("KACHE_DISABLED", "1"), "build").assertOk("disabled");
        assertEquals(ALL_CRATES, spy.takeCompiled().stream().distinct().toList());
        assertFalse(Files.exists(store.resolve("entries")), "KACHE_DISABLED stores nothing");
    }

    @Test
    void aShimNotNamedRustcIsCachedLikeRustc() throws Exception {
        SpyRustc shim = SpyRustc.create(tmp.resolve("opt/tools"), "my-compiler");
        DemoWorkspace ws = workspace("ws");
        ws.env.put("RUSTC", shim.path().toString());
        ws.cargo("build").assertOk("cold build with RUSTC=" + shim.path());
        assertEquals(ALL_CRATES, shim.takeCompiled());
        String cold = ws.runApp(ws.dir.resolve("target"), "debug");
        assertEquals("Hello, kache generated=42 flavor=plain tokens=3\n", cold);

        ws.cargo("clean").assertOk("clean");
        ws.cargo("build").assertOk("warm build");
        assertEquals(List.of(), shim.takeCompiled(), "a shell script that execs rustc is cached like rustc");
        assertEquals(cold, ws.runApp(ws.dir.resolve("target"), "debug"));
    }

    @Test
    void aSymlinkToRustcNamedOtherwiseIsCachedLikeRustc() throws Exception {
        Path link = Files.createSymbolicLink(Files.createDirectories(tmp.resolve("opt/tools")).resolve("my-compiler"),
                Path.of(SpyRustc.realRustc()));
        try {
            DemoWorkspace ws = workspace("ws");
            ws.env.put("RUSTC", link.toString());
            ws.cargo("build").assertOk("cold build with RUSTC=" + link);
            StoreStats cold = stats();
            assertTrue(cold.entries() >= ALL_CRATES.size(), "every crate stored: " + cold);

            ws.cargo("clean").assertOk("clean");
            ws.cargo("build").assertOk("warm build");
            StoreStats warm = stats();
            assertEquals(cold.misses(), warm.misses(), "nothing compiled on the warm build: " + warm);
            assertTrue(warm.hits() - cold.hits() >= ALL_CRATES.size(), "every crate a hit: " + warm);
            assertEquals("Hello, kache generated=42 flavor=plain tokens=3\n", ws.runApp(ws.dir.resolve("target"), "debug"));
        } finally {
            Files.delete(link);
        }
    }

    @Test
    void kacheDisabledPassesACompilerOfAnyNameThrough() throws Exception {
        SpyRustc shim = SpyRustc.create(tmp.resolve("opt/tools"), "my-compiler");
        DemoWorkspace ws = workspace("ws");
        ws.env.put("RUSTC", shim.path().toString());
        ws.cargo(Map.of("KACHE_DISABLED", "1"), "build").assertOk("disabled, RUSTC=" + shim.path());
        assertEquals(ALL_CRATES, shim.takeCompiled().stream().distinct().toList());
        assertEquals("Hello, kache generated=42 flavor=plain tokens=3\n", ws.runApp(ws.dir.resolve("target"), "debug"));
        assertFalse(Files.exists(store.resolve("entries")), "KACHE_DISABLED stores nothing");
    }

    /** A compile call to a program that is not rustc runs it unchanged: arguments, streams and exit code. */
    @Test
    void aCompilerThatIsNotRustcRunsUnchanged() throws Exception {
        Path calls = tmp.resolve("calls.log");
        Path tool = Files.createDirectories(tmp.resolve("opt/tools")).resolve("not-rustc");
        Files.writeString(tool, "#!/bin/sh\necho \"$*\" >> '" + calls + "'\n"
                + "if [ \"$1\" = -vV ]; then echo 'not-rustc 2.0'; exit 0; fi\n"
                + "echo 'out of not-rustc'\necho 'err of not-rustc' >&2\nexit 3\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path project = Files.createDirectories(tmp.resolve("project/src")).getParent();
        Files.writeString(project.resolve("src/lib.rs"), "pub fn f() {}\n");
        Map<String, String> env = new HashMap<>(launcherEnv());
        env.put("KACHE_CACHE_DIR", store.toString());
        env.put("XDG_CONFIG_HOME", Files.createDirectories(tmp.resolve("xdg")).toString());
        List<String> args = List.of("--crate-name", "lib", "--edition=2021", "src/lib.rs", "--crate-type", "lib",
                "--emit=dep-info,metadata,link", "--out-dir", project.resolve("out").toString());
        List<String> command = new ArrayList<>(List.of(kache.toString(), tool.toString()));
        command.addAll(args);

        for (int call = 1; call <= 2; call++) {
            CargoRun.Result run = CargoRun.run(project, env, command.toArray(String[]::new));
            assertEquals(3, run.exitCode(), run.stderr());
            assertEquals("out of not-rustc\n", run.stdout());
            assertEquals("err of not-rustc\n", run.stderr());
        }
        String compile = String.join(" ", args);
        assertEquals(List.of("-vV", compile, compile), Files.readAllLines(calls),
                "asked once whether it is rustc, then run as called, each time");
        StoreStats stats = stats();
        assertEquals(0, stats.entries());
        assertEquals(2L, stats.passthroughReasons().get("not rustc"), stats.toString());
    }

    StoreStats stats() throws Exception {
        try (LocalStore s = LocalStore.open(store, 1L << 34)) {
            // As `kache stats` does: through the server, a build's last entries land just after it.
            assertTrue(s.awaitStoresInFlight(java.time.Duration.ofSeconds(60)), "stores in flight landed");
            return s.stats();
        }
    }

    private static CargoRun.Result build(DemoWorkspace ws, Path target) {
        try {
            return ws.cargo(Map.of("CARGO_TARGET_DIR", target.toString()), "build");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
