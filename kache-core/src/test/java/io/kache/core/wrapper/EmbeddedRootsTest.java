package io.kache.core.wrapper;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kache.core.key.InputSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedRootsTest {

    /** Longest first, as {@link io.kache.core.rustc.PathSentinels#roots()} gives them. */
    static final Map<String, String> ROOTS = roots(
            "target", "/tmp/ws/target",
            "ws", "/tmp/ws",
            "cargo", "/home/dev/.cargo",
            "home", "/home/dev",
            "tmp", "/tmp");

    @TempDir
    Path temp;

    /**
     * {@code include_str!("/…/ws/data.txt")} reads that path from every checkout: a source naming the
     * directory binds the entry to it. A path built from the environment ({@code CARGO_MANIFEST_DIR},
     * {@code OUT_DIR}) names none in the sources and keeps the entry movable.
     */
    @Test
    void aDirectoryTheSourcesNameLiterallyIsBound() throws IOException {
        Path ws = java.nio.file.Files.createDirectories(temp.resolve("ws"));
        Path target = java.nio.file.Files.createDirectories(ws.resolve("target/debug/build/x-1/out"));
        Map<String, String> roots = roots("target", ws.resolve("target").toString(), "ws", ws.toString(),
                "cargo", temp.resolve("cargo").toString(), "tmp", temp.toString());
        java.nio.file.Files.createDirectories(ws.resolve("src"));
        java.nio.file.Files.writeString(ws.resolve("data.txt"), "v1");
        java.nio.file.Files.writeString(target.resolve("gen.rs"), "pub fn f() {}");

        java.nio.file.Files.writeString(ws.resolve("src/main.rs"),
                "const D: &str = include_str!(\"" + ws + "/data.txt\");\ninclude!(concat!(env!(\"OUT_DIR\"), \"/gen.rs\"));\n");
        List<String> inputs = List.of("src/main.rs", ws + "/data.txt", target + "/gen.rs");
        assertEquals(List.of(new InputSet.BoundRoot("ws", ws.toString())),
                EmbeddedRoots.namedBySources(inputs, ws, roots), "the literal path binds ws; OUT_DIR's target stays free");

        java.nio.file.Files.writeString(ws.resolve("src/main.rs"),
                "const D: &str = include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/data.txt\"));\n");
        assertEquals(List.of(), EmbeddedRoots.namedBySources(inputs, ws, roots), "a path from the environment");

        // Only directories the compile read absolute paths under are looked for: a relative include
        // of the same file, beside a comment naming the checkout, binds nothing.
        java.nio.file.Files.writeString(ws.resolve("src/main.rs"), "// built in " + ws + "\nconst D: &str = include_str!(\"../data.txt\");\n");
        assertEquals(List.of(), EmbeddedRoots.namedBySources(List.of("src/main.rs", "src/../data.txt"), ws, roots));
    }

    /**
     * A diagnostic quoting a source line that names the checkout binds the entry to it: replayed in
     * another checkout, the quoted text would name that checkout instead. A printed path no source
     * names (a file in OUT_DIR) binds nothing, nor does a source that names a directory never printed.
     */
    @Test
    void aDirectoryTheDiagnosticsQuoteFromTheSourcesIsBound() throws IOException {
        Path ws = Files.createDirectories(temp.resolve("ws"));
        Files.createDirectories(ws.resolve("src"));
        Map<String, String> roots = roots("target", ws.resolve("target").toString(), "ws", ws.toString(),
                "cargo", temp.resolve("cargo").toString(), "tmp", temp.toString());
        Files.writeString(ws.resolve("src/lib.rs"), "pub fn f() { let unused = \"" + ws + "/data.txt\"; }\n");
        List<String> inputs = List.of("src/lib.rs");
        String quoting = "warning: unused variable: `unused`\n  |     let unused = \"/@kache/ws/data.txt\";\n";
        assertEquals(List.of(new InputSet.BoundRoot("ws", ws.toString())),
                EmbeddedRoots.quotedFromSources(quoting, inputs, ws, roots));

        String outDir = "warning: unused\n --> /@kache/target/debug/build/x-1/out/gen.rs:1:5\n";
        assertEquals(List.of(), EmbeddedRoots.quotedFromSources(outDir, inputs, ws, roots), "no source names target");
        assertEquals(List.of(), EmbeddedRoots.quotedFromSources("warning: unused\n --> src/lib.rs:1:18\n", inputs, ws,
                roots), "nothing printed names a directory");
    }

    /**
     * A crates.io dependency reads under CARGO_HOME, which no checkout's source can name: nothing is
     * read, though cargo runs it in its own directory there, which is then the call's "ws" root.
     */
    @Test
    void inputsUnderCargoHomeLookForNothing() throws IOException {
        Path crate = java.nio.file.Files.createDirectories(temp.resolve("cargo/registry/src/dep-1.0"));
        Path lib = java.nio.file.Files.createDirectories(crate.resolve("src")).resolve("lib.rs");
        java.nio.file.Files.writeString(lib, "// " + crate + "/src\n");
        Map<String, String> roots = io.kache.core.rustc.PathSentinels.of(new LinkedHashMap<>(Map.of(
                "ws", crate, "cargo", temp.resolve("cargo"), "tmp", temp))).roots();
        assertEquals(List.of(), EmbeddedRoots.namedBySources(List.of(lib.toString()), crate, roots));
    }

    @Test
    void outputsWithoutALocalDirectoryAreBoundToNothing() throws IOException {
        Path f = write("a.rlib", "/@kache/ws/src/lib.rs\u0000/rustc/abc/library/std/src/io.rs\u0000ws-tmp".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(), new EmbeddedRoots(ROOTS).find(List.of(f)));
    }

    @Test
    void theLongestDirectoryAtAPositionIsTheOneBound() throws IOException {
        Path f = write("a.rlib", bytes("xx/tmp/ws/target/debug/build/x/out\u0000yy"));
        assertEquals(List.of(bound("target")), new EmbeddedRoots(ROOTS).find(List.of(f)));

        Path g = write("b.rlib", bytes("/tmp/ws/core-lib/home/dev"));
        assertEquals(List.of(bound("ws"), bound("home")), new EmbeddedRoots(ROOTS).find(List.of(g)));
    }

    @Test
    void noBoundaryIsRequiredAroundAMatch() throws IOException {
        // A string the linker packed between two others: the bytes around it are arbitrary.
        Path f = write("a", bytes("abc/tmp/wsdef"));
        assertEquals(List.of(bound("ws")), new EmbeddedRoots(ROOTS).find(List.of(f)));
    }

    @Test
    void everyFileIsSearchedAndEachDirectoryListedOnce() throws IOException {
        Path a = write("a", bytes("/home/dev/.cargo/registry/x /home/dev/.cargo/y"));
        Path b = write("b", bytes("nothing"));
        Path c = write("c", bytes("/tmp/other /home/dev/notes"));
        assertEquals(List.of(bound("cargo"), bound("home"), bound("tmp")),
                new EmbeddedRoots(ROOTS).find(List.of(a, b, c)));
    }

    /** Wherever a directory lies in a large file, chunk boundaries included, it is found. */
    @Property(tries = 60)
    void aDirectoryAnywhereInAFileIsFound(@ForAll @IntRange(min = 0, max = 3 * (1 << 20)) int offset,
                                          @ForAll @IntRange(min = 0, max = 4) int which,
                                          @ForAll long seed) throws IOException {
        String name = List.copyOf(ROOTS.keySet()).get(which);
        byte[] path = bytes(ROOTS.get(name));
        byte[] content = new byte[3 * (1 << 20) + path.length + 17];
        Random random = new Random(seed);
        random.nextBytes(content);
        for (int i = 0; i < content.length; i++) {
            if (content[i] == '/') {
                content[i] = 'x';
            }
        }
        System.arraycopy(path, 0, content, offset, path.length);
        content[offset + path.length] = 'q'; // no '/' after: a shorter directory must not win
        Path dir = Files.createTempDirectory("kache-embedded");
        Path f = Files.write(dir.resolve("big"), content);
        assertEquals(List.of(bound(name)), new EmbeddedRoots(ROOTS).find(List.of(f)));
        Files.delete(f);
        Files.delete(dir);
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(temp.resolve(name), content);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static InputSet.BoundRoot bound(String name) {
        return new InputSet.BoundRoot(name, ROOTS.get(name));
    }

    private static Map<String, String> roots(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }
}
