package io.kache.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.core.store.LocalStore;
import io.kache.core.store.StoreStats;
import io.kache.testkit.SpyRustc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cargo clippy} through kache, with real cargo and clippy: cargo runs every workspace member
 * as {@code kache clippy-driver rustc ARGS…}. Those calls are cached like a check, keyed by the
 * driver and clippy's own inputs, and replay clippy's lints; they never share entries with
 * {@code cargo check}. Any other {@code RUSTC_WORKSPACE_WRAPPER} runs unchanged.
 */
class ClippyCargoIT {

    /** The demo's calls that go through clippy-driver: every unit of a workspace member. */
    private static final int MEMBER_CALLS = 4;
    private static final String LINT = "clippy::bool_comparison";
    /** The reason, in {@code kache stats}, of a workspace wrapper kache runs unchanged. */
    static final String OTHER_WRAPPER = "workspace wrapper other than clippy-driver";

    @TempDir
    Path tmp;

    Path kache;
    SpyRustc spy;
    Path store;

    /** How cargo reaches kache: here a JVM per call; {@link ServerClippyCargoIT} uses the server. */
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

    /** The demo with a line clippy (and only clippy) warns about. */
    DemoWorkspace workspace(String name) throws Exception {
        DemoWorkspace ws = DemoWorkspace.copyTo(tmp.resolve(name), kache, spy, store,
                Files.createDirectories(tmp.resolve("xdg")));
        ws.env.putAll(launcherEnv());
        Path main = ws.dir.resolve("app/src/main.rs");
        String text = Files.readString(main);
        Files.writeString(main, text.replaceFirst("(?s)\n}\n", "\n    let many = tokens > 2;\n"
                + "    if many == true {\n        println!(\"many tokens\");\n    }\n}\n"));
        return ws;
    }

    @Test
    void clippyWarmAfterCleanCompilesNoMemberAndReplaysTheLint() throws Exception {
        DemoWorkspace ws = workspace("ws");
        CargoRun.Result cold = ws.cargo("clippy").assertOk("cold clippy");
        assertTrue(cold.stderr().contains(LINT), cold.stderr());
        StoreStats afterCold = stats();
        assertFalse(afterCold.passthroughReasons().containsKey("more than one source file"), afterCold.toString());

        ws.cargo("clean").assertOk("clean");
        CargoRun.Result warm = ws.cargo("clippy").assertOk("warm clippy");
        StoreStats afterWarm = stats();
        assertEquals(afterCold.misses(), afterWarm.misses(), "nothing compiled on the warm clippy: " + afterWarm);
        assertTrue(afterWarm.hits() - afterCold.hits() >= MEMBER_CALLS, "every member a hit: " + afterWarm);
        assertEquals(lintBlock(cold.stderr()), lintBlock(warm.stderr()), "the lint replayed as clippy printed it");
    }

    @Test
    void clippyThenCheckNeverShare() throws Exception {
        DemoWorkspace ws = workspace("ws");
        ws.cargo("clippy").assertOk("clippy");
        spy.takeCompiled();
        ws.cargo("clean").assertOk("clean");

        CargoRun.Result check = ws.cargo("check").assertOk("check after clippy");
        assertFalse(check.stderr().contains("clippy::"), "no clippy lint in cargo check: " + check.stderr());
        assertEquals(List.of("app", "build_script_build", "core_lib", "macros"), spy.takeCompiled().stream().distinct().toList(),
                "cargo check compiles every member itself");

        ws.cargo("clean").assertOk("clean");
        CargoRun.Result clippy = ws.cargo("clippy").assertOk("clippy again");
        assertTrue(clippy.stderr().contains(LINT), "clippy's own entry, with its lint: " + clippy.stderr());
    }

    @Test
    void checkThenClippyNeverShare() throws Exception {
        DemoWorkspace ws = workspace("ws");
        CargoRun.Result check = ws.cargo("check").assertOk("check");
        assertFalse(check.stderr().contains("clippy::"), check.stderr());
        ws.cargo("clean").assertOk("clean");
        StoreStats afterCheck = stats();

        CargoRun.Result clippy = ws.cargo("clippy").assertOk("clippy after check");
        assertTrue(clippy.stderr().contains(LINT), "clippy ran, not check's entry: " + clippy.stderr());
        assertTrue(stats().misses() - afterCheck.misses() >= MEMBER_CALLS, "every member linted: " + stats());

        ws.cargo("clean").assertOk("clean");
        CargoRun.Result again = ws.cargo("check").assertOk("check again");
        assertFalse(again.stderr().contains("clippy::"), "no clippy lint in cargo check: " + again.stderr());
    }

    @Test
    void aClippyTomlThatAppearsOrChangesMisses() throws Exception {
        DemoWorkspace ws = workspace("ws");
        ws.cargo("clippy").assertOk("clippy without clippy.toml");
        ws.cargo("clean").assertOk("clean");

        Files.writeString(ws.dir.resolve("clippy.toml"), "disallowed-names = [\"many\"]\n");
        CargoRun.Result named = ws.cargo("clippy").assertOk("clippy with clippy.toml");
        assertTrue(named.stderr().contains("clippy::disallowed_names"), "the new clippy.toml applies: " + named.stderr());

        ws.cargo("clean").assertOk("clean");
        Files.writeString(ws.dir.resolve("clippy.toml"), "disallowed-names = [\"tokens\"]\n");
        CargoRun.Result renamed = ws.cargo("clippy").assertOk("clippy with a changed clippy.toml");
        assertTrue(renamed.stderr().contains("placeholder name `tokens`")
                        && !renamed.stderr().contains("placeholder name `many`"),
                "the changed clippy.toml applies: " + renamed.stderr());
    }

    /**
     * With {@code --no-deps} clippy lints only the packages cargo was asked for
     * ({@code CARGO_PRIMARY_PACKAGE}): core-lib checked as app's dependency, unlinted, must never
     * be served to a clippy of core-lib itself, which fails on its lint.
     */
    @Test
    void aMemberCheckedAsADependencyIsNotServedToItsOwnNoDepsClippy() throws Exception {
        DemoWorkspace ws = DemoWorkspace.copyTo(tmp.resolve("ws"), kache, spy, store, Files.createDirectories(tmp.resolve("xdg")));
        ws.env.putAll(launcherEnv());
        Path lib = ws.dir.resolve("core-lib/src/lib.rs");
        Files.writeString(lib, Files.readString(lib) + "\npub fn nothing_in(v: &[u8]) -> bool {\n    v.len() == 0\n}\n");
        ws.cargo("clippy", "-p", "app", "--", "--no-deps", "-D", "warnings").assertOk("clippy of app alone");

        ws.cargo("clean").assertOk("clean");
        CargoRun.Result own = ws.cargo("clippy", "-p", "core-lib", "--", "--no-deps", "-D", "warnings");
        assertNotEquals(0, own.exitCode(), "core-lib linted, not app's dependency's entry: " + own.stderr());
        assertTrue(own.stderr().contains("clippy::len_zero"), own.stderr());
    }

    @Test
    void clippyArgsChangeMisses() throws Exception {
        DemoWorkspace ws = workspace("ws");
        ws.cargo("clippy").assertOk("clippy");
        ws.cargo("clean").assertOk("clean");

        // cargo clippy passes what follows `--` to clippy-driver in CLIPPY_ARGS.
        CargoRun.Result denied = ws.cargo("clippy", "--", "-D", LINT);
        assertNotEquals(0, denied.exitCode(), "the lint is an error now, not the cached warning: " + denied.stderr());
        assertTrue(denied.stderr().contains("error: equality checks against true"), denied.stderr());
    }

    @Test
    void anotherWorkspaceWrapperRunsUnchanged() throws Exception {
        DemoWorkspace ws = workspace("ws");
        Path calls = tmp.resolve("wrapper-calls.log");
        Path wrapper = Files.createDirectories(tmp.resolve("opt")).resolve("my-workspace-wrapper");
        Files.writeString(wrapper, "#!/bin/sh\necho \"$*\" >> '" + calls + "'\nexec \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        ws.env.put("RUSTC_WORKSPACE_WRAPPER", wrapper.toString());

        CargoRun.Result build = ws.cargo("build").assertOk("build through another workspace wrapper");
        assertEquals("Hello, kache generated=42 flavor=plain tokens=3\nmany tokens\n",
                ws.runApp(ws.dir.resolve("target"), "debug"));
        assertFalse(build.stderr().contains("clippy::"), build.stderr());
        assertTrue(Files.readAllLines(calls).stream().filter(l -> l.contains("--crate-name")).count() >= MEMBER_CALLS,
                "the wrapper ran every member's compile");
        StoreStats stats = stats();
        assertTrue(stats.passthroughReasons().getOrDefault(OTHER_WRAPPER, 0L) >= MEMBER_CALLS,
                "passed through with its reason: " + stats);
        assertEquals(0, stats.entries(), "nothing of the wrapper's stored: " + stats);
    }

    /**
     * clippy-driver named as RUSTC lints every member yet answers -vV as rustc: it must run
     * unchanged, or its lints would be stored under rustc's key and replayed by cargo check.
     */
    @Test
    void clippyDriverAsTheCompilerRunsUnchangedAndNeverReachesCheck() throws Exception {
        Path driver = Path.of(SpyRustc.realRustc()).resolveSibling("clippy-driver");
        Assumptions.assumeTrue(Files.isExecutable(driver), "no clippy-driver beside " + SpyRustc.realRustc());
        DemoWorkspace ws = workspace("ws");
        CargoRun.Result linted = ws.cargo(Map.of("RUSTC", driver.toString()), "check").assertOk("check with RUSTC=clippy-driver");
        assertTrue(linted.stderr().contains(LINT), "clippy-driver lints as the compiler: " + linted.stderr());

        ws.cargo("clean").assertOk("clean");
        CargoRun.Result check = ws.cargo("check").assertOk("check with rustc");
        assertFalse(check.stderr().contains("clippy::"), "no clippy lint in cargo check: " + check.stderr());
        StoreStats stats = stats();
        assertTrue(stats.passthroughReasons().getOrDefault("clippy-driver as the compiler", 0L) >= MEMBER_CALLS,
                stats.toString());
    }

    /** The lint as cargo showed it: from its warning line to the blank line after it. */
    static String lintBlock(String stderr) {
        int start = stderr.indexOf("warning: equality checks against true");
        assertTrue(start >= 0, stderr);
        int end = stderr.indexOf("\n\n", start);
        return stderr.substring(start, end < 0 ? stderr.length() : end);
    }

    StoreStats stats() throws Exception {
        try (LocalStore s = LocalStore.open(store, 1L << 34)) {
            // As `kache stats` does: through the server, a build's last entries land just after it.
            assertTrue(s.awaitStoresInFlight(java.time.Duration.ofSeconds(60)), "stores in flight landed");
            return s.stats();
        }
    }
}
