package io.kache.core.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Every component of the recipe changes the call key: for each, a few variants of an arbitrary
 * call that differ only in that component must all get different keys.
 */
class CallKeySensitivityProperties {

    private static Path root;
    private static CargoTree tree;

    @BeforeContainer
    static void createTree() throws IOException {
        root = Files.createTempDirectory("kache-sensitive-");
        tree = CargoTree.create(root, CargoTree.Layout.ALL_APART);
    }

    @AfterContainer
    static void deleteTree() {
        Sha256Files.deleteTree(root);
    }

    /** A component of the key and how to vary it. */
    enum Component {
        TOOLCHAIN, SALT, CRATE_NAME, CRATE_TYPE, EDITION, EMIT_CHECK_VS_BUILD, TARGET, TARGET_SPEC_CONTENT, TARGET_SPEC_NAME,
        CFG, FEATURE, SOURCE_PATH, EXTERN_SET, EXTERN_CONTENT, LIB_SEARCH_PATH, LINK_LIB, UNSTABLE_Z,
        TEST_HARNESS, CARGO_CFG, RUSTC_BOOTSTRAP, LINKER_IDENTITY
    }

    @Property(tries = 1000)
    void everyComponentChangesTheKey(@ForAll("calls") CallSpec s, @ForAll("envs") EnvSpec e,
                                     @ForAll Component component) throws IOException {
        List<String> keys = variants(component, s, e);
        assertEquals(keys.size(), new HashSet<>(keys).size(), component + " variants share a key: " + keys);
    }

    @Property(tries = 500)
    void everyCodegenOptionChangesTheKey(@ForAll("calls") CallSpec s, @ForAll("envs") EnvSpec e,
                                         @ForAll("codegenKeys") String option) throws IOException {
        List<String> keys = new ArrayList<>();
        List<String> without = s.codegen().stream().filter(o -> !o.startsWith(option + "=")).toList();
        keys.add(Keys.callKey(tree, s.withCodegen(without), e));
        for (String value : KeyArbitraries.CODEGEN.get(option)) {
            List<String> with = new ArrayList<>(without);
            with.add(option + "=" + value);
            keys.add(Keys.callKey(tree, s.withCodegen(with), e));
        }
        assertEquals(keys.size(), new HashSet<>(keys).size(), "-C " + option + " variants share a key");
    }

    /**
     * A lint's level changes the key, in whichever spelling, and so does the order of two levels (a
     * later one overrides): a quiet entry must never stand in for a call that denies a lint it breaks.
     */
    @Property(tries = 300)
    void everyLintLevelChangesTheKey(@ForAll("calls") CallSpec s, @ForAll("envs") EnvSpec e,
                                     @ForAll Random random) throws IOException {
        List<String> keys = new ArrayList<>();
        keys.add(Keys.callKey(tree, s, e));
        for (List<String> level : KeyArbitraries.LINT_LEVELS) {
            keys.add(Keys.callKey(tree, s.args(new Random(7), List.of(level)), e));
        }
        assertEquals(keys.size(), new HashSet<>(keys).size(), "lint levels share a key");
        List<String> allowThenDeny = List.of("-A", "missing_docs", "-D", "missing_docs");
        List<String> denyThenAllow = List.of("-D", "missing_docs", "-A", "missing_docs");
        long seed = random.nextLong();
        assertNotEquals(Keys.callKey(tree, s.args(new Random(seed), List.of(allowThenDeny)), e),
                Keys.callKey(tree, s.args(new Random(seed), List.of(denyThenAllow)), e));
    }

    private static List<String> variants(Component c, CallSpec s, EnvSpec e) throws IOException {
        List<String> keys = new ArrayList<>();
        switch (c) {
            case TOOLCHAIN -> {
                for (String t : KeyArbitraries.TOOLCHAINS) {
                    keys.add(Keys.callKey(tree, s, e.withToolchain(t)));
                }
            }
            case SALT -> {
                for (String salt : List.of("", "team-a", "team-b")) {
                    keys.add(Keys.callKey(tree, s, e.withSalt(salt)));
                }
            }
            case CRATE_NAME -> {
                keys.add(Keys.callKey(tree, s.withCrateName("core_lib"), e));
                keys.add(Keys.callKey(tree, s.withCrateName("core_lib2"), e));
            }
            case CRATE_TYPE -> {
                for (List<String> types : List.of(List.of("lib"), List.of("rlib"), List.of("bin"),
                        List.of("proc-macro"), List.of("cdylib"), List.of("dylib"), List.of("staticlib"),
                        List.of("rlib", "cdylib"))) {
                    keys.add(Keys.callKey(tree, s.withCrateTypes(types), e));
                }
            }
            case EDITION -> {
                for (String edition : KeyArbitraries.EDITIONS) {
                    keys.add(Keys.callKey(tree, s.withEdition(edition), e));
                }
            }
            case EMIT_CHECK_VS_BUILD -> {
                CallSpec lib = s.withCrateTypes(List.of("lib"));
                keys.add(Keys.callKey(tree, lib.withEmit(List.of("dep-info", "metadata")), e));
                keys.add(Keys.callKey(tree, lib.withEmit(List.of("dep-info", "metadata", "link")), e));
                keys.add(Keys.callKey(tree, lib.withEmit(List.of("metadata")), e));
                keys.add(Keys.callKey(tree, lib.withEmit(List.of("dep-info", "link")), e));
            }
            case TARGET -> {
                for (Optional<String> target : KeyArbitraries.TARGETS) {
                    keys.add(Keys.callKey(tree, s.withTarget(target), e));
                }
            }
            case TARGET_SPEC_CONTENT -> {
                CallSpec spec = s.withTarget(Optional.of("{ws}/specs/custom.json"));
                keys.add(Keys.callKey(tree, spec, e));
                keys.add(withFileContent("specs/custom.json", "{\"llvm-target\": \"aarch64-unknown-none\"}\n",
                        () -> Keys.callKey(tree, spec, e)));
            }
            case TARGET_SPEC_NAME -> {
                // rustc takes the target triple from the spec's file stem and records it in the metadata.
                keys.add(Keys.callKey(tree, s.withTarget(Optional.of("{ws}/specs/custom.json")), e));
                tree.write("specs/other-name.json", tree.read("specs/custom.json"));
                keys.add(Keys.callKey(tree, s.withTarget(Optional.of("{ws}/specs/other-name.json")), e));
            }
            case CFG -> cfgVariants(keys, s, e, "tokio_unstable_extra");
            case FEATURE -> cfgVariants(keys, s, e, "feature=\"extra\"");
            case SOURCE_PATH -> {
                // util.rs and other.rs have the same content: only the path differs.
                for (String src : List.of("core-lib/src/util.rs", "core-lib/src/other.rs", CargoTree.REGISTRY_SRC)) {
                    keys.add(Keys.callKey(tree, s.withSource(src), e));
                }
            }
            case EXTERN_SET -> {
                List<String> others = s.externs().stream().filter(x -> !x.equals("serde")
                        && !x.equals("proc_macro")).toList();
                keys.add(Keys.callKey(tree, s.withExterns(others), e));
                keys.add(Keys.callKey(tree, s.withExterns(plus(others, "serde")), e));
                keys.add(Keys.callKey(tree, s.withExterns(plus(others, "proc_macro")), e));
            }
            case EXTERN_CONTENT -> {
                CallSpec withSerde = s.withExterns(plus(s.externs().stream().filter(x -> !x.equals("serde")).toList(),
                        "serde"));
                keys.add(Keys.callKey(tree, withSerde, e));
                keys.add(withFileContent(CargoTree.EXTERN_FILES.get("serde"), "a rebuilt serde\n",
                        () -> Keys.callKey(tree, withSerde, e)));
            }
            case LIB_SEARCH_PATH -> extraVariants(keys, s, e, List.of(List.of("-L", "native={ws}/other"),
                    List.of("-L", "native={ws}/other2"), List.of("-Lcrate={target}/debug/deps")));
            case LINK_LIB -> extraVariants(keys, s, e, List.of(List.of("-l", "static=bar"),
                    List.of("-l", "dylib=bar"), List.of("-lz")));
            case UNSTABLE_Z -> extraVariants(keys, s, e, List.of(List.of("-Z", "threads=8"),
                    List.of("-Zthreads=4"), List.of("-Z", "macro-backtrace")));
            case TEST_HARNESS -> {
                CallSpec plain = s.withCrateTypes(List.of("bin"));
                keys.add(Keys.callKey(tree, plain, e));
                keys.add(Keys.callKey(tree, new CallSpec(plain.crateName(), plain.crateTypes(), plain.emit(),
                        plain.edition(), plain.source(), true, plain.target(), plain.cfgs(), plain.checkCfgs(),
                        plain.externs(), plain.codegen(), plain.extra()), e));
            }
            case CARGO_CFG -> {
                envVariants(keys, s, e, "CARGO_CFG_TARGET_FEATURE", "fxsr,sse,sse2", "fxsr,sse,sse2,avx2");
                keys.add(Keys.callKey(tree, s, e.withEnv("CARGO_CFG_TARGET_FEATURE", null)
                        .withEnv("CARGO_CFG_KACHE_TEST", "")));
            }
            case RUSTC_BOOTSTRAP -> envVariants(keys, s, e, "RUSTC_BOOTSTRAP", "1", "crate_a");
            case LINKER_IDENTITY -> {
                CallSpec bin = s.withCrateTypes(List.of("bin")).withEmit(List.of("dep-info", "link"));
                for (Optional<String> linker : List.of(Optional.<String>empty(), Optional.of("cc:0a1b2c"),
                        Optional.of("cc:0a1b2d"), Optional.of("ld.lld:0a1b2c"))) {
                    keys.add(Keys.callKey(tree, bin, e.withLinker(linker)));
                }
            }
            default -> throw new IllegalStateException(c.toString());
        }
        return keys;
    }

    private static void cfgVariants(List<String> keys, CallSpec s, EnvSpec e, String added) throws IOException {
        keys.add(Keys.callKey(tree, s, e));
        keys.add(Keys.callKey(tree, s.withCfgs(plus(s.cfgs(), added)), e));
        if (!s.cfgs().isEmpty()) {
            keys.add(Keys.callKey(tree, s.withCfgs(s.cfgs().subList(1, s.cfgs().size())), e));
        }
    }

    private static void extraVariants(List<String> keys, CallSpec s, EnvSpec e, List<List<String>> added)
            throws IOException {
        keys.add(Keys.callKey(tree, s, e));
        for (List<String> group : added) {
            List<List<String>> extra = new ArrayList<>(s.extra());
            extra.add(group);
            keys.add(Keys.callKey(tree, s.withExtra(extra), e));
        }
    }

    private static void envVariants(List<String> keys, CallSpec s, EnvSpec e, String name, String a, String b)
            throws IOException {
        keys.add(Keys.callKey(tree, s, e.withEnv(name, null)));
        keys.add(Keys.callKey(tree, s, e.withEnv(name, a)));
        keys.add(Keys.callKey(tree, s, e.withEnv(name, b)));
    }

    private static <T> List<T> plus(List<T> list, T item) {
        List<T> out = new ArrayList<>(list);
        out.add(item);
        return out;
    }

    @FunctionalInterface
    private interface KeyAction {
        String key() throws IOException;
    }

    /** The key computed while the file holds other bytes at the same path; the file is restored after. */
    private static String withFileContent(String file, String content, KeyAction action) throws IOException {
        String original = tree.read(file);
        tree.write(file, content);
        try {
            return action.key();
        } finally {
            tree.write(file, original);
        }
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
    Arbitrary<String> codegenKeys() {
        return Arbitraries.of(KeyArbitraries.CODEGEN_KEYS);
    }
}
