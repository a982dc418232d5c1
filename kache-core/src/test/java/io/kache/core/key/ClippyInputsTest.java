package io.kache.core.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.core.rustc.RustcCall;
import io.kache.core.rustc.SentinelRoots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * clippy's own inputs join the call key of a call run through clippy-driver: its version, its
 * variables and the configuration file it would read, found as clippy finds it, by content.
 */
class ClippyInputsTest {

    private static final String VERSION = "clippy 0.1.95 (abc 2026-01-01)";

    @TempDir
    Path temp;

    @Test
    void theConfigurationClippyWouldReadIsKeyedByContentAndAbsenceToo() throws IOException {
        CargoTree tree = CargoTree.create(temp.resolve("a"), CargoTree.Layout.WS_UNDER_HOME);
        Path member = tree.ws.resolve("core-lib");
        Map<String, String> env = tree.env(new HashMap<>(Map.of("CARGO_MANIFEST_DIR", member.toString())));
        String absent = describe(tree, env);
        assertTrue(absent.contains("config absent"), absent);

        Files.writeString(tree.ws.resolve("clippy.toml"), "msrv = \"1.70\"\n");
        String atRoot = describe(tree, env);
        assertNotEquals(absent, atRoot, "a clippy.toml above the member, found upward");
        Files.writeString(tree.ws.resolve("clippy.toml"), "msrv = \"1.71\"\n");
        String changed = describe(tree, env);
        assertNotEquals(atRoot, changed, "by content");

        Files.writeString(member.resolve(".clippy.toml"), "msrv = \"1.71\"\n");
        String nearer = describe(tree, env);
        assertNotEquals(changed, nearer, "the nearer file is the one read");
        Files.writeString(tree.ws.resolve("clippy.toml"), "msrv = \"1.72\"\n");
        assertEquals(nearer, describe(tree, env), "a file above the one read does not matter");

        Map<String, String> confDir = new HashMap<>(env);
        confDir.put("CLIPPY_CONF_DIR", tree.ws.toString());
        assertNotEquals(nearer, describe(tree, confDir), "CLIPPY_CONF_DIR starts the search elsewhere");
    }

    @Test
    void clippysVariablesAndVersionAreKeyed() throws IOException {
        CargoTree tree = CargoTree.create(temp.resolve("a"), CargoTree.Layout.WS_UNDER_HOME);
        Map<String, String> env = tree.env(new HashMap<>());
        String plain = describe(tree, env);
        for (String name : new String[] {"CLIPPY_ARGS", "CLIPPY_DISABLE_DOCS_LINKS", "CARGO_PKG_RUST_VERSION"}) {
            Map<String, String> with = new HashMap<>(env);
            with.put(name, "-Dclippy::all");
            assertNotEquals(plain, describe(tree, with), name);
        }
        assertNotEquals(plain, ClippyInputs.describe("clippy 0.1.96 (def 2026-02-01)", env, tree.ws,
                SentinelRoots.forCall(tree.parse(CallKeyIndexTest.CORE_ARGS), env, tree.ws), Sha256Files.HASHER));
    }

    /** The same call through clippy-driver and without it never shares a key: clippy's lints are its own. */
    @Test
    void aCallThroughClippyNeverSharesTheKeyOfTheCallWithout() throws IOException {
        CargoTree tree = CargoTree.create(temp.resolve("a"), CargoTree.Layout.WS_UNDER_HOME);
        RustcCall call = tree.parse(CallKeyIndexTest.CORE_ARGS);
        RustcCall clippy = call.withDriver(tree.ws.resolve("clippy-driver"));
        Map<String, String> env = tree.env(new HashMap<>());
        KeyContext ctx = new KeyContext(CargoTree.TOOLCHAIN, SentinelRoots.forCall(call, env, tree.ws), env, tree.ws,
                "", Optional.empty(), Sha256Files.HASHER, Map.of());
        String driver = describe(tree, env);
        String plainKey = CacheKeyRecipe.callKey(call, ctx);
        String clippyKey = CacheKeyRecipe.callKey(clippy, ctx.withDriver(driver));
        assertNotEquals(plainKey, clippyKey);
        assertEquals(clippyKey, CacheKeyRecipe.callKey(clippy, ctx.withDriver(driver)), "deterministic");
        assertThrows(IllegalArgumentException.class, () -> CacheKeyRecipe.callKey(clippy, ctx),
                "a driver call without the driver's identity has no key");
        assertThrows(IllegalArgumentException.class, () -> CacheKeyRecipe.callKey(call, ctx.withDriver(driver)));
    }

    private static String describe(CargoTree tree, Map<String, String> env) throws IOException {
        RustcCall call = tree.parse(CallKeyIndexTest.CORE_ARGS);
        return ClippyInputs.describe(VERSION, env, tree.ws, SentinelRoots.forCall(call, env, tree.ws), Sha256Files.HASHER);
    }
}
