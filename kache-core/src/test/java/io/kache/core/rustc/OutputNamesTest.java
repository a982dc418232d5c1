package io.kache.core.rustc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OutputNamesTest {

    @TempDir
    Path temp;

    /** crate types (null: --test), emit kinds, the names rustc writes with {@code -C extra-filename=-abc}. */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("lib", "dep-info,metadata,link", List.of("foo_bar-abc.d", "libfoo_bar-abc.rlib",
                        "libfoo_bar-abc.rmeta")),
                Arguments.of("rlib", "dep-info,metadata,link", List.of("foo_bar-abc.d", "libfoo_bar-abc.rlib",
                        "libfoo_bar-abc.rmeta")),
                Arguments.of("lib", "dep-info,metadata", List.of("foo_bar-abc.d", "libfoo_bar-abc.rmeta")),
                Arguments.of("lib", "metadata", List.of("libfoo_bar-abc.rmeta")),
                Arguments.of("lib", "dep-info,link", List.of("foo_bar-abc.d", "libfoo_bar-abc.rlib")),
                Arguments.of("lib", "link", List.of("libfoo_bar-abc.rlib")),
                Arguments.of("proc-macro", "dep-info,link", List.of("foo_bar-abc.d", "libfoo_bar-abc.so")),
                Arguments.of("proc-macro", "dep-info,metadata", List.of("foo_bar-abc.d", "libfoo_bar-abc.rmeta")),
                Arguments.of("dylib", "dep-info,metadata,link", List.of("foo_bar-abc.d", "libfoo_bar-abc.rmeta",
                        "libfoo_bar-abc.so")),
                Arguments.of("dylib", "dep-info,link", List.of("foo_bar-abc.d", "libfoo_bar-abc.so")),
                Arguments.of("cdylib", "dep-info,metadata,link", List.of("foo_bar-abc.d", "libfoo_bar-abc.rmeta",
                        "libfoo_bar-abc.so")),
                Arguments.of("staticlib", "dep-info,metadata,link", List.of("foo_bar-abc.d", "libfoo_bar-abc.a",
                        "libfoo_bar-abc.rmeta")),
                Arguments.of("bin", "dep-info,link", List.of("foo_bar-abc", "foo_bar-abc.d")),
                Arguments.of("bin", "dep-info,metadata", List.of("foo_bar-abc.d", "libfoo_bar-abc.rmeta")),
                Arguments.of(null, "dep-info,link", List.of("foo_bar-abc", "foo_bar-abc.d")),
                Arguments.of("rlib,cdylib,staticlib", "dep-info,link", List.of("foo_bar-abc.d", "libfoo_bar-abc.a",
                        "libfoo_bar-abc.rlib", "libfoo_bar-abc.so")));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void expectedNames(String crateTypes, String emit, List<String> expected) {
        assertEquals(expected, OutputNames.expected(call(crateTypes, emit, "-abc")));
    }

    @Test
    void withoutExtraFilename() {
        assertEquals(List.of("foo_bar.d", "libfoo_bar.rlib", "libfoo_bar.rmeta"),
                OutputNames.expected(call("lib", "dep-info,metadata,link", "")));
        assertEquals(List.of("foo_bar", "foo_bar.d"), OutputNames.expected(call("bin", "dep-info,link", "")));
    }

    @Test
    void linkedOutputs() {
        assertFalse(OutputNames.isLinkedOutput("libfoo-abc.rlib"));
        assertFalse(OutputNames.isLinkedOutput("libfoo-abc.rmeta"));
        assertFalse(OutputNames.isLinkedOutput("foo-abc.d"));
        assertTrue(OutputNames.isLinkedOutput("libfoo-abc.so"));
        assertTrue(OutputNames.isLinkedOutput("libfoo-abc.a"));
        assertTrue(OutputNames.isLinkedOutput("foo-abc"));
    }

    /** The model against the compiler: run real rustc for every case and list what it wrote. */
    @ParameterizedTest
    @MethodSource("cases")
    void matchesWhatRealRustcWrites(String crateTypes, String emit, List<String> expected) throws Exception {
        Path ws = temp.resolve("ws");
        Path out = ws.resolve("out");
        Files.createDirectories(out);
        boolean procMacro = crateTypes != null && crateTypes.contains("proc-macro");
        boolean bin = crateTypes != null && crateTypes.equals("bin");
        Files.writeString(ws.resolve("src.rs"), procMacro
                ? "extern crate proc_macro;\n#[proc_macro]\npub fn m(i: proc_macro::TokenStream) -> "
                        + "proc_macro::TokenStream { i }\n"
                : bin ? "fn main() {}\n" : "pub fn f() -> u32 { 7 }\n");
        List<String> args = new ArrayList<>(List.of("--crate-name", "foo_bar", "--edition=2021", "src.rs"));
        if (crateTypes == null) {
            args.add("--test");
        } else {
            args.addAll(List.of("--crate-type", crateTypes));
        }
        args.addAll(List.of("--emit=" + emit, "-C", "extra-filename=-abc", "--out-dir", out.toString()));
        RealRustc.run(ws, Map.of(), args);
        assertEquals(expected, list(out));
        assertEquals(list(out), OutputNames.expected(assertInstanceOf(RustcCall.class,
                RustcArgsParser.parse(Path.of("rustc"), args, ws))));
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private RustcCall call(String crateTypes, String emit, String extra) {
        List<String> args = new ArrayList<>(List.of("--crate-name", "foo_bar", "src/lib.rs", "--emit=" + emit,
                "--out-dir", "target/debug/deps"));
        if (crateTypes == null) {
            args.add("--test");
        } else {
            args.addAll(List.of("--crate-type", crateTypes));
        }
        if (!extra.isEmpty()) {
            args.addAll(List.of("-C", "extra-filename=" + extra));
        }
        return assertInstanceOf(RustcCall.class, RustcArgsParser.parse(Path.of("rustc"), args, temp));
    }
}
