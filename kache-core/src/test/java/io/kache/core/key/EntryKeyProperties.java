package io.kache.core.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The entry key covers what the crate read: each input file's content and path, and each env-dep's
 * value, where set-to-a-value, set-to-another, set-empty and unset are all different.
 */
class EntryKeyProperties {

    static final List<String> INPUTS = List.of("core-lib/src/lib.rs", "core-lib/src/util.rs",
            "core-lib/src/banner.txt", CargoTree.OUT_DIR + "/generated.rs", CargoTree.REGISTRY_SRC);
    static final List<String> ENV_NAMES = List.of("CORE_BUILD_TAG", "FIXTURE_FLAVOR", "OUT_DIR");

    private static Path root;
    private static CargoTree tree;

    /** What a dep-info lists: some input files and some env-deps (null value: unset). */
    record Reads(List<String> files, Map<String, String> env) {
        String depInfo() {
            return Keys.depInfo(files, env);
        }

        Reads withFiles(List<String> v) {
            return new Reads(v, env);
        }

        Reads withEnv(String name, String value) {
            Map<String, String> copy = new HashMap<>(env);
            copy.put(name, value);
            return new Reads(files, copy);
        }
    }

    @BeforeContainer
    static void createTree() throws IOException {
        root = Files.createTempDirectory("kache-entry-");
        tree = CargoTree.create(root, CargoTree.Layout.WS_UNDER_HOME);
    }

    @AfterContainer
    static void deleteTree() {
        Sha256Files.deleteTree(root);
    }

    @Property(tries = 120)
    void eachInputFilesContentChangesTheKey(@ForAll("calls") CallSpec s, @ForAll("envs") EnvSpec e,
                                            @ForAll("reads") Reads reads) throws IOException {
        String before = Keys.entryKey(tree, s, e, reads.depInfo());
        for (String file : reads.files()) {
            String original = tree.read(file);
            tree.write(file, original + "// edited\n");
            try {
                assertNotEquals(before, Keys.entryKey(tree, s, e, reads.depInfo()), "edit of " + file);
            } finally {
                tree.write(file, original);
            }
        }
        assertEquals(before, Keys.entryKey(tree, s, e, reads.depInfo()));
    }

    /** The same bytes at another path are another input (module layout, include! targets). */
    @Property(tries = 100)
    void eachInputFilesPathChangesTheKey(@ForAll("calls") CallSpec s, @ForAll("envs") EnvSpec e,
                                         @ForAll("reads") Reads reads) throws IOException {
        String before = Keys.entryKey(tree, s, e, reads.depInfo());
        for (int i = 0; i < reads.files().size(); i++) {
            String file = reads.files().get(i);
            String moved = file.replace(".rs", "_moved.rs").replace(".txt", "_moved.txt");
            tree.write(moved, tree.read(file));
            List<String> files = new ArrayList<>(reads.files());
            files.set(i, moved);
            try {
                assertNotEquals(before, Keys.entryKey(tree, s, e, reads.withFiles(files).depInfo()), file);
            } finally {
                Files.delete(tree.path(moved));
            }
        }
    }

    @Property(tries = 100)
    void addingOrDroppingAnInputChangesTheKey(@ForAll("calls") CallSpec s, @ForAll("envs") EnvSpec e,
                                              @ForAll("reads") Reads reads) throws IOException {
        List<String> keys = new ArrayList<>();
        keys.add(Keys.entryKey(tree, s, e, reads.depInfo()));
        for (String file : INPUTS) {
            List<String> files = new ArrayList<>(reads.files());
            if (!files.remove(file)) {
                files.add(file);
            }
            keys.add(Keys.entryKey(tree, s, e, reads.withFiles(files).depInfo()));
        }
        assertEquals(keys.size(), new HashSet<>(keys).size());
    }

    @Property(tries = 120)
    void eachEnvDepValueChangesTheKey(@ForAll("calls") CallSpec s, @ForAll("envs") EnvSpec e,
                                      @ForAll("reads") Reads reads, @ForAll("envNames") String name)
            throws IOException {
        List<String> keys = new ArrayList<>();
        keys.add(Keys.entryKey(tree, s, e, reads.withEnv(name, null).depInfo()));
        keys.add(Keys.entryKey(tree, s, e, reads.withEnv(name, "").depInfo()));
        keys.add(Keys.entryKey(tree, s, e, reads.withEnv(name, "tag-30").depInfo()));
        keys.add(Keys.entryKey(tree, s, e, reads.withEnv(name, "tag-31").depInfo()));
        keys.add(Keys.entryKey(tree, s, e, reads.withEnv(name, "line one\nline two").depInfo()));
        keys.add(Keys.entryKey(tree, s, e, reads.withEnv(name, "unset").depInfo()));
        Map<String, String> without = new HashMap<>(reads.env());
        without.remove(name);
        keys.add(Keys.entryKey(tree, s, e, new Reads(reads.files(), without).depInfo()));
        assertEquals(keys.size(), new HashSet<>(keys).size(), name + ": " + keys);
    }

    @Provide
    Arbitrary<Reads> reads() {
        Arbitrary<List<String>> files = Arbitraries.of(INPUTS).list().uniqueElements().ofMinSize(1);
        Arbitrary<Map<String, String>> env = Arbitraries.of(ENV_NAMES).list().uniqueElements().flatMap(names -> {
            List<Arbitrary<Map.Entry<String, String>>> entries = new ArrayList<>();
            for (String n : names) {
                entries.add(Arbitraries.of("tag-30", "x", CargoTree.OUT_DIR, "", "<unset>")
                        .map(v -> new AbstractMap.SimpleEntry<>(n, v.equals("<unset>") ? null : v)));
            }
            return Combinators.combine(entries).as(list -> {
                Map<String, String> m = new HashMap<>();
                list.forEach(en -> m.put(en.getKey(), en.getValue()));
                return m;
            });
        });
        return Combinators.combine(files, env).as(Reads::new);
    }

    @Provide
    Arbitrary<String> envNames() {
        return Arbitraries.of(ENV_NAMES);
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
