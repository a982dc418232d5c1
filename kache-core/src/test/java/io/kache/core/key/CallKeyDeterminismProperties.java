package io.kache.core.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** The same call in the same surroundings always gets the same key, a 64-digit lowercase hex string. */
class CallKeyDeterminismProperties {

    private static Path root;
    private static CargoTree tree;

    @BeforeContainer
    static void createTree() throws IOException {
        root = Files.createTempDirectory("kache-determinism-");
        tree = CargoTree.create(root, CargoTree.Layout.WS_UNDER_HOME);
    }

    @AfterContainer
    static void deleteTree() {
        Sha256Files.deleteTree(root);
    }

    @Property(tries = 300)
    void callKeyIsDeterministicLowercaseHex(@ForAll("calls") CallSpec s, @ForAll("envs") EnvSpec e)
            throws IOException {
        String first = Keys.callKey(tree, s, e);
        String second = Keys.callKey(tree, s, e);
        assertEquals(first, second);
        assertTrue(first.matches(Keys.HEX64), first);
    }

    @Property(tries = 200)
    void entryKeyIsDeterministicLowercaseHex(@ForAll("calls") CallSpec s, @ForAll("envs") EnvSpec e)
            throws IOException {
        String depInfo = Keys.depInfo(List.of("core-lib/src/lib.rs", "core-lib/src/util.rs",
                CargoTree.OUT_DIR + "/generated.rs"), Map.of("CORE_BUILD_TAG", "tag-30", "OUT_DIR", CargoTree.OUT_DIR));
        String first = Keys.entryKey(tree, s, e, depInfo);
        String second = Keys.entryKey(tree, s, e, depInfo);
        assertEquals(first, second);
        assertTrue(first.matches(Keys.HEX64), first);
    }

    @Property(tries = 200)
    void entryKeyDiffersFromCallKeyAndDependsOnIt(@ForAll("calls") CallSpec s, @ForAll("envs") EnvSpec e)
            throws IOException {
        String callKey = Keys.callKey(tree, s, e);
        InputSet none = new InputSet(List.of(), List.of());
        String entry = CacheKeyRecipe.entryKey(callKey, none);
        assertTrue(entry.matches(Keys.HEX64), entry);
        assertNotEquals(callKey, entry);
        String otherCallKey = Keys.callKey(tree, s, e.withSalt(e.salt() + "-other"));
        assertNotEquals(entry, CacheKeyRecipe.entryKey(otherCallKey, none));
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
