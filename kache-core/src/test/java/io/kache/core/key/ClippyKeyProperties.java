package io.kache.core.key;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kache.core.rustc.RustcCall;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * A call through clippy-driver never shares a key with the same call without it, nor with the same
 * call through another clippy; and clippy's variables leave rustc's own keys alone.
 */
class ClippyKeyProperties {

    private static final List<String> DRIVERS = List.of("clippy 0.1.95 (aaa 2026-01-01)\nrustc 1.95.0",
            "clippy 0.1.96 (bbb 2026-02-01)\nrustc 1.96.0", "clippy 0.1.95 (aaa 2026-01-01)\nrustc 1.95.0\nCLIPPY_ARGS=-D");

    private static Path root;
    private static CargoTree tree;

    @BeforeContainer
    static void createTree() throws IOException {
        root = Files.createTempDirectory("kache-clippy-key-");
        tree = CargoTree.create(root, CargoTree.Layout.ALL_APART);
    }

    @AfterContainer
    static void deleteTree() {
        Sha256Files.deleteTree(root);
    }

    @Property(tries = 300)
    void aDriverAlwaysChangesTheKeyAndEachDriverHasItsOwn(@ForAll("calls") CallSpec s, @ForAll("envs") EnvSpec e)
            throws IOException {
        RustcCall call = tree.parse(s.args());
        KeyContext ctx = Keys.context(tree, call, e);
        RustcCall clippy = call.withDriver(root.resolve("clippy-driver"));
        List<String> keys = new ArrayList<>();
        keys.add(CacheKeyRecipe.callKey(call, ctx));
        for (String driver : DRIVERS) {
            keys.add(CacheKeyRecipe.callKey(clippy, ctx.withDriver(driver)));
        }
        assertEquals(keys.size(), new HashSet<>(keys).size(), "shared keys: " + keys);
    }

    @Property(tries = 300)
    void clippysVariablesLeaveRustcsKeyAlone(@ForAll("calls") CallSpec s, @ForAll("envs") EnvSpec e)
            throws IOException {
        RustcCall call = tree.parse(s.args());
        Map<String, String> env = new HashMap<>(tree.env(e.env()));
        String plain = CacheKeyRecipe.callKey(call, tree.context(call, env, e.toolchain(), e.salt(), e.linker()));
        env.put("CLIPPY_ARGS", "-D__CLIPPY_HACKERY__clippy::all");
        env.put("CLIPPY_CONF_DIR", root.toString());
        assertEquals(plain, CacheKeyRecipe.callKey(call, tree.context(call, env, e.toolchain(), e.salt(), e.linker())));
    }

    @Provide
    Arbitrary<CallSpec> calls() {
        return KeyArbitraries.callSpecs();
    }

    @Provide
    Arbitrary<EnvSpec> envs() {
        return KeyArbitraries.envSpecs();
    }
}
