package io.kache.core.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The same call in two checkouts gets the same keys: one tree has its workspace under HOME and the
 * target dir inside it; the other has workspace, target dir (CARGO_TARGET_DIR), CARGO_HOME, HOME,
 * TMPDIR and KACHE_BASE_DIR all at different places. Files hold the same bytes in both.
 */
class PathIndependenceProperties {

    private static Path root;
    private static CargoTree underHome;
    private static CargoTree apart;

    @BeforeContainer
    static void createTrees() throws IOException {
        root = Files.createTempDirectory("kache-paths-");
        underHome = CargoTree.create(root.resolve("machine-a"), CargoTree.Layout.WS_UNDER_HOME);
        apart = CargoTree.create(root.resolve("machine-b/deeper"), CargoTree.Layout.ALL_APART);
    }

    @AfterContainer
    static void deleteTrees() {
        Sha256Files.deleteTree(root);
    }

    @Property(tries = 500)
    void callKeyIsTheSameInBothCheckouts(@ForAll("calls") CallSpec s, @ForAll("envs") EnvSpec e,
                                         @ForAll Random random) throws IOException {
        assertEquals(Keys.callKey(underHome, s, e), Keys.callKey(apart, s.args(random, List.of()), e));
    }

    @Property(tries = 300)
    void entryKeyIsTheSameInBothCheckouts(@ForAll("calls") CallSpec s, @ForAll("envs") EnvSpec e,
                                          @ForAll("reads") EntryKeyProperties.Reads reads) throws IOException {
        assertEquals(Keys.entryKey(underHome, s, e, reads.depInfo()), Keys.entryKey(apart, s, e, reads.depInfo()));
    }

    /** Sanity check of the fixture: without sentinels, the two checkouts really do differ. */
    @Property(tries = 20)
    void theCheckoutsDifferWithoutSentinels(@ForAll("calls") CallSpec s) {
        assertNotEquals(underHome.render(s.args()), apart.render(s.args()));
    }

    @Provide
    Arbitrary<CallSpec> calls() {
        return KeyArbitraries.callSpecs();
    }

    @Provide
    Arbitrary<EnvSpec> envs() {
        return KeyArbitraries.envSpecs();
    }

    @Provide
    Arbitrary<EntryKeyProperties.Reads> reads() {
        return new EntryKeyProperties().reads();
    }
}
