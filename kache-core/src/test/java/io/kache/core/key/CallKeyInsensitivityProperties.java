package io.kache.core.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.kache.core.rustc.RustcCall;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * What must not change a key: the order of order-free flags, how a flag is spelled, diagnostic
 * flags, {@code -C incremental} in any spelling, the linker of a call that does not link, and
 * environment variables outside the recipe.
 */
class CallKeyInsensitivityProperties {

    private static Path root;
    private static CargoTree tree;

    @BeforeContainer
    static void createTree() throws IOException {
        root = Files.createTempDirectory("kache-insensitive-");
        tree = CargoTree.create(root, CargoTree.Layout.WS_UNDER_HOME);
    }

    @AfterContainer
    static void deleteTree() {
        Sha256Files.deleteTree(root);
    }

    /** --cfg, --check-cfg, --extern order, --crate-type/--emit value order, flag spellings. */
    @Property(tries = 500)
    void orderOfOrderFreeFlagsAndSpellingDoNotMatter(@ForAll("calls") CallSpec s, @ForAll("envs") EnvSpec e,
                                                     @ForAll Random random) throws IOException {
        assertEquals(Keys.callKey(tree, s, e), Keys.callKey(tree, s.args(random, List.of()), e));
    }

    /** How diagnostics are rendered does not matter: an entry's are rendered again only when it has some. */
    @Property(tries = 500)
    void renderingFlagsDoNotMatter(@ForAll("renderings") List<List<String>> renderings, @ForAll("calls") CallSpec s,
                                   @ForAll("envs") EnvSpec e, @ForAll Random random) throws IOException {
        assertEquals(Keys.callKey(tree, s, e), Keys.callKey(tree, s.args(random, renderings), e));
    }

    @Property(tries = 300)
    void incrementalInAnySpellingDoesNotMatterAndIsStripped(@ForAll("calls") CallSpec s,
                                                           @ForAll("envs") EnvSpec e,
                                                           @ForAll("incremental") List<String> incremental,
                                                           @ForAll Random random) throws IOException {
        List<String> args = s.args(random, List.of(incremental));
        assertEquals(Keys.callKey(tree, s, e), Keys.callKey(tree, args, e));
        RustcCall call = tree.parse(args);
        List<String> expected = new ArrayList<>(tree.render(args));
        int at = Collections.indexOfSubList(expected, tree.render(incremental));
        expected.subList(at, at + incremental.size()).clear();
        assertEquals(expected, call.execArgs());
        assertFalse(call.execArgs().stream().anyMatch(a -> a.contains("incremental")), call.execArgs()::toString);
    }

    @Property(tries = 300)
    void linkerDoesNotMatterForCallsThatDoNotLink(@ForAll("calls") CallSpec s, @ForAll("envs") EnvSpec e)
            throws IOException {
        Assume.that(!tree.parse(s.args()).links());
        String key = Keys.callKey(tree, s, e.withLinker(Optional.empty()));
        assertEquals(key, Keys.callKey(tree, s, e.withLinker(Optional.of("cc:ffffff"))));
        assertEquals(key, Keys.callKey(tree, s, e.withLinker(Optional.of("ld.lld:eeeeee"))));
    }

    /** The -C linker flag is represented by the resolved linker identity, never by its spelling. */
    @Property(tries = 200)
    void linkerFlagItselfIsNotKeyed(@ForAll("calls") CallSpec s, @ForAll("envs") EnvSpec e, @ForAll Random random)
            throws IOException {
        List<String> codegen = new ArrayList<>(s.codegen());
        codegen.add("linker=/usr/bin/clang");
        assertEquals(Keys.callKey(tree, s, e), Keys.callKey(tree, s.withCodegen(codegen).args(random, List.of()), e));
    }

    @Property(tries = 200)
    void environmentOutsideTheRecipeDoesNotMatter(@ForAll("calls") CallSpec s, @ForAll("envs") EnvSpec e)
            throws IOException {
        EnvSpec quiet = e.withEnv("TERM", null).withEnv("CARGO_MAKEFLAGS", null);
        EnvSpec noisy = e.withEnv("TERM", "dumb").withEnv("CARGO_MAKEFLAGS", "-j8").withEnv("CARGO_PKG_NAME", "x")
                .withEnv("RUST_BACKTRACE", "1");
        assertEquals(Keys.callKey(tree, s, quiet), Keys.callKey(tree, s, noisy));
    }

    /**
     * rustc reads neither variable: the flags cargo takes from them are the call's arguments. With
     * {@code --target}, cargo gives build scripts and proc macros none of them, and their keys must
     * not change with the variables either.
     */
    @Property(tries = 200)
    void rustflagsInTheEnvironmentDoNotMatter(@ForAll("calls") CallSpec s, @ForAll("envs") EnvSpec e)
            throws IOException {
        EnvSpec none = e.withEnv("RUSTFLAGS", null).withEnv("CARGO_ENCODED_RUSTFLAGS", null);
        String key = Keys.callKey(tree, s, none);
        assertEquals(key, Keys.callKey(tree, s, none.withEnv("RUSTFLAGS", "-C target-cpu=native")));
        assertEquals(key, Keys.callKey(tree, s, none.withEnv("CARGO_ENCODED_RUSTFLAGS",
                "-Ctarget-cpu=native\u001f--cfg\u001fextra")));
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
    Arbitrary<List<List<String>>> renderings() {
        return KeyArbitraries.renderings();
    }

    @Provide
    Arbitrary<List<String>> incremental() {
        return KeyArbitraries.incremental();
    }
}
