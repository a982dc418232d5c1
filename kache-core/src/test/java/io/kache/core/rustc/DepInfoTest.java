package io.kache.core.rustc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DepInfoTest {

    /** The sample in RUST-NOTES, with its elisions filled in. */
    static final String NOTES_SAMPLE = """
            /abs/target/debug/deps/core_lib-1a2b.d: core-lib/src/lib.rs core-lib/src/util.rs \
            /abs/target/debug/build/core-lib-3c4d/out/generated.rs

            /abs/target/debug/deps/libcore_lib-1a2b.rlib: core-lib/src/lib.rs core-lib/src/util.rs \
            /abs/target/debug/build/core-lib-3c4d/out/generated.rs

            /abs/target/debug/deps/libcore_lib-1a2b.rmeta: core-lib/src/lib.rs core-lib/src/util.rs \
            /abs/target/debug/build/core-lib-3c4d/out/generated.rs

            core-lib/src/lib.rs:
            core-lib/src/util.rs:
            /abs/target/debug/build/core-lib-3c4d/out/generated.rs:

            # env-dep:CORE_BUILD_TAG=tag-30
            # env-dep:FIXTURE_FLAVOR=x
            # env-dep:OUT_DIR=/abs/target/debug/build/core-lib-3c4d/out
            """;

    @TempDir
    Path temp;

    @Test
    void rustNotesSample() {
        DepInfo d = DepInfo.parse(NOTES_SAMPLE);
        assertEquals(List.of("core-lib/src/lib.rs", "core-lib/src/util.rs",
                "/abs/target/debug/build/core-lib-3c4d/out/generated.rs"), d.inputs());
        assertEquals(List.of(env("CORE_BUILD_TAG", "tag-30"), env("FIXTURE_FLAVOR", "x"),
                env("OUT_DIR", "/abs/target/debug/build/core-lib-3c4d/out")), d.envDeps());
    }

    @Test
    void relativeAndAbsolutePathsAreKeptAsWritten() {
        DepInfo d = DepInfo.parse("out/x.d: src/lib.rs ../shared/common.rs /opt/include/gen.rs\n");
        assertEquals(List.of("src/lib.rs", "../shared/common.rs", "/opt/include/gen.rs"), d.inputs());
        assertEquals(List.of(), d.envDeps());
    }

    @Test
    void escapedSpacesInPathsAndTargets() {
        DepInfo d = DepInfo.parse("""
                /abs/my\\ target/x.d: src/lib.rs my\\ dir/a\\ b.txt /abs/with\\ \\ two.rs

                src/lib.rs:
                my\\ dir/a\\ b.txt:
                /abs/with\\ \\ two.rs:
                """);
        assertEquals(List.of("src/lib.rs", "my dir/a b.txt", "/abs/with  two.rs"), d.inputs());
    }

    /** An unescaped space in a target (rustc does not escape targets) must not leak into the inputs. */
    @Test
    void unescapedSpaceInTarget() {
        DepInfo d = DepInfo.parse("out dir/t.d: lib.rs my\\ dir/a\\ b.txt\n\nout dir/libt.rmeta: lib.rs\n");
        assertEquals(List.of("lib.rs", "my dir/a b.txt"), d.inputs());
    }

    @Test
    void colonsInsidePathsAreNotRuleSeparators() {
        DepInfo d = DepInfo.parse("out/x.d: src/a:b.rs src/c.rs\n\nsrc/a:b.rs:\nsrc/c.rs:\n");
        assertEquals(List.of("src/a:b.rs", "src/c.rs"), d.inputs());
    }

    @Test
    void envDepsWithAndWithoutValue() {
        DepInfo d = DepInfo.parse("""
                x.d: lib.rs

                # env-dep:SET=value
                # env-dep:EMPTY=
                # env-dep:UNSET
                # env-dep:WITH_EQUALS=a=b==c
                """);
        assertEquals(List.of(env("SET", "value"), env("EMPTY", ""), new DepInfo.EnvDep("UNSET", Optional.empty()),
                env("WITH_EQUALS", "a=b==c")), d.envDeps());
    }

    @Test
    void escapedValues() {
        DepInfo d = DepInfo.parse("x.d: lib.rs\n\n"
                + "# env-dep:MULTI=line1\\nline2\n"
                + "# env-dep:BACKSLASH=C:\\\\dir\\\\n-not-a-newline\n"
                + "# env-dep:CR=a\\rb\n");
        assertEquals(List.of(env("MULTI", "line1\nline2"), env("BACKSLASH", "C:\\dir\\n-not-a-newline"),
                env("CR", "a\rb")), d.envDeps());
    }

    @Test
    void duplicatesCollapseInFirstSeenOrder() {
        DepInfo d = DepInfo.parse("a.d: z.rs a.rs\n\nb.rmeta: a.rs m.rs z.rs\n\nz.rs:\na.rs:\nm.rs:\n");
        assertEquals(List.of("z.rs", "a.rs", "m.rs"), d.inputs());
    }

    @Test
    void otherCommentsAndBlankLinesAreIgnored() {
        DepInfo d = DepInfo.parse("# checksum:sha256=abc file.rs\n\n   \nx.d: lib.rs\n");
        assertEquals(List.of("lib.rs"), d.inputs());
        assertEquals(List.of(), d.envDeps());
    }

    @Test
    void readsAFile() throws IOException {
        Path file = temp.resolve("core_lib-1a2b.d");
        Files.writeString(file, NOTES_SAMPLE);
        assertEquals(DepInfo.parse(NOTES_SAMPLE), DepInfo.read(file));
    }

    /** What the real compiler writes: spaces in paths, an empty, an unset and an escaped env value. */
    @Test
    void parsesWhatRealRustcWrites() throws Exception {
        Path ws = temp.resolve("work space");
        Files.createDirectories(ws.resolve("my dir"));
        Files.createDirectories(ws.resolve("out dir"));
        Files.writeString(ws.resolve("my dir/a b.txt"), "hello");
        Files.writeString(ws.resolve("my dir/mod x.rs"), "pub fn f() {}\n");
        Files.writeString(ws.resolve("lib.rs"), """
                pub const A: &str = include_str!("my dir/a b.txt");
                #[path = "my dir/mod x.rs"] pub mod x;
                pub const B: Option<&str> = option_env!("KACHE_TEST_UNSET_VARIABLE");
                pub const C: &str = env!("KACHE_TEST_MULTI");
                pub const D: Option<&str> = option_env!("KACHE_TEST_EMPTY");
                """);
        RealRustc.run(ws, Map.of("KACHE_TEST_MULTI", "line1\nline2\\back\rcr", "KACHE_TEST_EMPTY", ""),
                List.of("--crate-name", "t", "--crate-type", "lib", "--emit=dep-info,metadata", "--out-dir",
                        ws.resolve("out dir").toString(), "lib.rs"));
        DepInfo d = DepInfo.read(ws.resolve("out dir/t.d"));
        assertEquals(List.of("lib.rs", "my dir/a b.txt", "my dir/mod x.rs"), d.inputs().stream().sorted().toList());
        assertEquals(List.of(env("KACHE_TEST_EMPTY", ""), env("KACHE_TEST_MULTI", "line1\nline2\\back\rcr"),
                new DepInfo.EnvDep("KACHE_TEST_UNSET_VARIABLE", Optional.empty())),
                d.envDeps().stream().filter(e -> e.name().startsWith("KACHE_TEST_")).sorted(
                        Comparator.comparing(DepInfo.EnvDep::name)).toList());
    }

    private static DepInfo.EnvDep env(String name, String value) {
        return new DepInfo.EnvDep(name, Optional.of(value));
    }
}
