package io.kache.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.core.key.ClippyCargoLints;
import io.kache.core.store.LocalStore;
import io.kache.core.store.StoreStats;
import io.kache.testkit.SpyRustc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * clippy's {@code cargo} lints ({@code cargo_common_metadata}, {@code multiple_crate_versions}, …)
 * run {@code cargo metadata} from clippy-driver and read every manifest of the workspace, which the
 * dep-info does not list. With real cargo clippy: a call that may enable one, by
 * {@code cargo clippy -- -D …}, by {@code [lints.clippy]} or by an attribute of the crate root,
 * runs unchanged, so a manifest broken or fixed since is linted as plain clippy lints it.
 */
class ClippyCargoLintsIT {

    private static final String MISSING = "package `y` is missing `package.description` metadata";

    @TempDir
    Path tmp;

    Path ws;
    Map<String, String> env;

    @BeforeEach
    void setUp() throws Exception {
        Path kache = KacheLauncher.create(Files.createDirectories(tmp.resolve("bin")));
        ws = tmp.resolve("ws");
        Files.createDirectories(ws);
        Files.writeString(ws.resolve("Cargo.toml"), "[workspace]\nmembers = [\"x\", \"y\"]\nresolver = \"2\"\n");
        for (String member : new String[] {"x", "y"}) {
            Files.createDirectories(ws.resolve(member + "/src"));
            Files.writeString(ws.resolve(member + "/Cargo.toml"), manifest(member, true, ""));
            Files.writeString(ws.resolve(member + "/README.md"), member + "\n");
            Files.writeString(ws.resolve(member + "/src/lib.rs"), "pub fn one() -> u32 {\n    1\n}\n");
        }
        env = new HashMap<>();
        env.put("RUSTC_WRAPPER", kache.toString());
        env.put("RUSTC", SpyRustc.realRustc());
        env.put("KACHE_CACHE_DIR", tmp.resolve("store").toString());
        env.put("XDG_CONFIG_HOME", Files.createDirectories(tmp.resolve("xdg")).toString());
        env.put("CARGO_TERM_COLOR", "never");
    }

    /** The reviewer's steps: a description removed from y's manifest fails the denied lint, and back. */
    @Test
    void aManifestChangedSinceIsLintedAgainWhenClippyArgsEnableTheLint() throws Exception {
        clippy("-D", "clippy::cargo_common_metadata").assertOk("clippy with every manifest complete");

        Files.writeString(ws.resolve("y/Cargo.toml"), manifest("y", false, ""));
        cargo("clean").assertOk("clean");
        CargoRun.Result broken = clippy("-D", "clippy::cargo_common_metadata");
        assertNotEquals(0, broken.exitCode(), "y's manifest lacks its description: " + broken.stderr());
        assertTrue(broken.stderr().contains("error: " + MISSING), broken.stderr());

        cargo("clean").assertOk("clean");
        CargoRun.Result warned = clippy("-W", "clippy::cargo_common_metadata").assertOk("clippy warning of it");
        assertTrue(warned.stderr().contains("warning: " + MISSING), warned.stderr());

        Files.writeString(ws.resolve("y/Cargo.toml"), manifest("y", true, ""));
        cargo("clean").assertOk("clean");
        CargoRun.Result fixed = clippy("-W", "clippy::cargo_common_metadata").assertOk("clippy after the fix");
        assertFalse(fixed.stderr().contains(MISSING), "no warning replayed from before the fix: " + fixed.stderr());

        StoreStats stats = stats();
        assertTrue(stats.passthroughReasons().getOrDefault(ClippyCargoLints.REASON, 0L) >= 8,
                "every member's call ran unchanged, with its reason: " + stats);
    }

    /** cargo passes {@code [lints.clippy]} as {@code --warn=clippy::cargo}: an argument of the call. */
    @Test
    void aLintsTableThatEnablesTheGroupIsSeen() throws Exception {
        for (String member : new String[] {"x", "y"}) {
            Files.writeString(ws.resolve(member + "/Cargo.toml"), manifest(member, true, "\n[lints.clippy]\ncargo = \"deny\"\n"));
        }
        clippy().assertOk("clippy with every manifest complete");

        Files.writeString(ws.resolve("y/Cargo.toml"), manifest("y", false, "\n[lints.clippy]\ncargo = \"deny\"\n"));
        cargo("clean").assertOk("clean");
        CargoRun.Result broken = clippy();
        assertNotEquals(0, broken.exitCode(), broken.stderr());
        assertTrue(broken.stderr().contains("error: " + MISSING), broken.stderr());
    }

    /** clippy reads the group's level at the crate root: an attribute there enables it too. */
    @Test
    void anAttributeOfTheCrateRootIsSeen() throws Exception {
        for (String member : new String[] {"x", "y"}) {
            Files.writeString(ws.resolve(member + "/src/lib.rs"),
                    "#![deny(clippy::cargo)]\npub fn one() -> u32 {\n    1\n}\n");
        }
        clippy().assertOk("clippy with every manifest complete");

        Files.writeString(ws.resolve("y/Cargo.toml"), manifest("y", false, ""));
        cargo("clean").assertOk("clean");
        CargoRun.Result broken = clippy();
        assertNotEquals(0, broken.exitCode(), broken.stderr());
        assertTrue(broken.stderr().contains("error: " + MISSING), broken.stderr());
    }

    /** A clippy that enables none of them is still cached: both members hit after a clean. */
    @Test
    void clippyWithoutTheGroupIsStillCached() throws Exception {
        clippy("-W", "clippy::pedantic").assertOk("cold clippy");
        cargo("clean").assertOk("clean");
        StoreStats cold = stats();
        clippy("-W", "clippy::pedantic").assertOk("warm clippy");
        StoreStats warm = stats();
        assertEquals(cold.misses(), warm.misses(), "nothing compiled: " + warm);
        assertTrue(warm.hits() - cold.hits() >= 2, "both members hit: " + warm);
        assertFalse(warm.passthroughReasons().containsKey(ClippyCargoLints.REASON), warm.toString());
    }

    private static String manifest(String name, boolean described, String tail) {
        return "[package]\nname = \"" + name + "\"\nversion = \"0.1.0\"\nedition = \"2021\"\n"
                + (described ? "description = \"crate " + name + "\"\n" : "")
                + "license = \"MIT\"\nrepository = \"https://example.com/" + name + "\"\nreadme = \"README.md\"\n"
                + "keywords = [\"kache\"]\ncategories = [\"development-tools\"]\n" + tail;
    }

    private CargoRun.Result clippy(String... clippyArgs) throws Exception {
        String[] command = new String[clippyArgs.length + 2];
        command[0] = "clippy";
        command[1] = "--";
        System.arraycopy(clippyArgs, 0, command, 2, clippyArgs.length);
        return cargo(command);
    }

    private CargoRun.Result cargo(String... args) throws Exception {
        return CargoRun.cargo(ws, env, args);
    }

    private StoreStats stats() throws Exception {
        try (LocalStore s = LocalStore.open(tmp.resolve("store"), 1L << 34)) {
            return s.stats();
        }
    }
}
