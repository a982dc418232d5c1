package io.kache.core.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.kache.core.config.KeyEnvVars;
import io.kache.core.rustc.RustcCall;
import io.kache.core.rustc.SentinelRoots;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code key_env_vars}: the values it names join the call key, and nothing else does. */
class KeyEnvVarsKeyTest {

    @TempDir
    Path temp;

    @Test
    void aKeyedVariableChangesTheCallKeyOfTheCratesItNames() throws IOException {
        CargoTree tree = CargoTree.create(temp.resolve("a"), CargoTree.Layout.WS_UNDER_HOME);
        RustcCall call = tree.parse(CallKeyIndexTest.CORE_ARGS);
        KeyEnvVars all = KeyEnvVars.parse("MACRO_X");
        KeyEnvVars otherCrate = KeyEnvVars.parse("app:MACRO_X");
        KeyEnvVars thisCrate = KeyEnvVars.parse("core-lib:MACRO_*");

        String none = key(tree, call, KeyEnvVars.NONE, Map.of("MACRO_X", "1"));
        assertEquals(none, key(tree, call, KeyEnvVars.NONE, Map.of("MACRO_X", "2")), "not keyed without key_env_vars");
        assertNotEquals(key(tree, call, all, Map.of("MACRO_X", "1")), key(tree, call, all, Map.of("MACRO_X", "2")));
        assertNotEquals(key(tree, call, all, Map.of()), key(tree, call, all, Map.of("MACRO_X", "")), "unset is not empty");
        assertEquals(key(tree, call, otherCrate, Map.of("MACRO_X", "1")), key(tree, call, otherCrate, Map.of("MACRO_X", "2")));
        assertNotEquals(key(tree, call, thisCrate, Map.of("MACRO_X", "1")), key(tree, call, thisCrate, Map.of("MACRO_X", "2")));
        assertEquals(key(tree, call, thisCrate, Map.of()), none, "a glob that matches nothing adds nothing");
    }

    private static String key(CargoTree tree, RustcCall call, KeyEnvVars keyed, Map<String, String> extra) throws IOException {
        Map<String, String> env = tree.env(new HashMap<>(extra));
        KeyContext ctx = new KeyContext(CargoTree.TOOLCHAIN, SentinelRoots.forCall(call, env, tree.ws), env, tree.ws, "",
                Optional.empty(), Sha256Files.HASHER, keyed.select(call.crateName(), env));
        return CacheKeyRecipe.callKey(call, ctx);
    }
}
