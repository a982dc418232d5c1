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
