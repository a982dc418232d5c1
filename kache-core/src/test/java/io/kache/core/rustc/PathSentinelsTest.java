package io.kache.core.rustc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PathSentinelsTest {

    static final PathSentinels NESTED = PathSentinels.of(roots(
            "home", "/home/dev",
            "ws", "/home/dev/src/project",
            "target", "/home/dev/src/project/target",
            "cargo", "/home/dev/.cargo",
            "tmp", "/tmp"));

    @Test
    void longestPrefixWins() {
        assertEquals("/@kache/target/debug/deps/libfoo.rlib",
                NESTED.normalize("/home/dev/src/project/target/debug/deps/libfoo.rlib"));
        assertEquals("/@kache/ws/src/lib.rs", NESTED.normalize("/home/dev/src/project/src/lib.rs"));
        assertEquals("/@kache/cargo/registry/src/x/lib.rs", NESTED.normalize("/home/dev/.cargo/registry/src/x/lib.rs"));
        assertEquals("/@kache/home/notes.txt", NESTED.normalize("/home/dev/notes.txt"));
        assertEquals(List.of("/home/dev/src/project/target", "/home/dev/src/project", "/home/dev/.cargo",
                "/home/dev", "/tmp"), NESTED.prefixes());
    }

    @Test
    void rewritesOnlyAtPathBoundaries() {
        PathSentinels s = PathSentinels.of(roots("ws", "/tmp/ws"));
        assertEquals("/tmp/ws2/src/lib.rs", s.normalize("/tmp/ws2/src/lib.rs"));
        assertEquals("/tmp/ws-old", s.normalize("/tmp/ws-old"));
        assertEquals("/tmp/ws.d", s.normalize("/tmp/ws.d"));
        assertEquals("/var/tmp/ws/x", s.normalize("/var/tmp/ws/x"));
        assertEquals("x/tmp/ws/y", s.normalize("x/tmp/ws/y"));
        assertEquals("/@kache/ws", s.normalize("/tmp/ws"));
        assertEquals("/@kache/ws/", s.normalize("/tmp/ws/"));
        assertEquals("/@kache/ws/src/lib.rs", s.normalize("/tmp/ws/src/lib.rs"));
    }

    @Test
    void rewritesInsideTextAfterAndBeforeDelimiters() {
        PathSentinels s = PathSentinels.of(roots("ws", "/tmp/ws"));
        assertEquals("{\"artifact\":\"/@kache/ws/target/libx.rmeta\",\"emit\":\"metadata\"}",
                s.normalize("{\"artifact\":\"/tmp/ws/target/libx.rmeta\",\"emit\":\"metadata\"}"));
        assertEquals("--> /@kache/ws/src/lib.rs:3:5", s.normalize("--> /tmp/ws/src/lib.rs:3:5"));
        assertEquals("dependency=/@kache/ws/target", s.normalize("dependency=/tmp/ws/target"));
        assertEquals("a /@kache/ws/x b /@kache/ws/y /tmp/ws2", s.normalize("a /tmp/ws/x b /tmp/ws/y /tmp/ws2"));
        assertEquals("`/@kache/ws`, (/@kache/ws) [/@kache/ws] </@kache/ws> '/@kache/ws'\t/@kache/ws\n",
                s.normalize("`/tmp/ws`, (/tmp/ws) [/tmp/ws] </tmp/ws> '/tmp/ws'\t/tmp/ws\n"));
        assertEquals("-L\u001f/@kache/ws/native", s.normalize("-L\u001f/tmp/ws/native"));
    }

    @Test
    void expandRestoresThisMachinesPaths() {
        PathSentinels other = PathSentinels.of(roots(
                "home", "/Users/else",
                "ws", "/build/checkout-7",
                "target", "/build/out",
                "cargo", "/opt/cargo",
                "tmp", "/var/tmp"));
        String stored = NESTED.normalize("/home/dev/src/project/target/debug/deps/x.d: "
                + "/home/dev/src/project/src/lib.rs /home/dev/.cargo/registry/a.rs /tmp/gen.rs");
        assertEquals("/build/out/debug/deps/x.d: /build/checkout-7/src/lib.rs /opt/cargo/registry/a.rs "
                + "/var/tmp/gen.rs", other.expand(stored));
    }

    @Test
    void pathsRightAfterAColourSequenceAreRewrittenBothWays() {
        PathSentinels s = PathSentinels.of(roots("target", "/tmp/ws/target"));
        // rustc's --json=diagnostic-rendered-ansi: the escape is JSON-encoded inside "rendered".
        String json = "\\u001b[0m\\u001b[1m\\u001b[38;5;12m--> \\u001b[0m/@kache/target/debug/build/x/out/gen.rs:2:31";
        assertEquals(json.replace("/@kache/target", "/tmp/ws/target"), s.expand(json));
        assertEquals(json, s.normalize(s.expand(json)));
        // rustc printing to a terminal: the raw escape.
        String raw = "\u001b[1m\u001b[94m--> \u001b[0m/@kache/target/debug/build/x/out/gen.rs:2:31";
        assertEquals(raw.replace("/@kache/target", "/tmp/ws/target"), s.expand(raw));
        assertEquals(raw, s.normalize(s.expand(raw)));
        // Not a colour sequence: a path inside a longer word stays as it is.
        assertEquals("item/@kache/target/x", s.expand("item/@kache/target/x"));
        assertEquals("m/tmp/ws/target/x", s.normalize("m/tmp/ws/target/x"));
        assertEquals("[0m/tmp/ws/target/x", s.normalize("[0m/tmp/ws/target/x"));
    }

    @Test
    void rootsNameEachLocalDirectoryLongestFirst() {
        assertEquals(List.of("target", "ws", "cargo", "home", "tmp"), List.copyOf(NESTED.roots().keySet()));
        assertEquals("/home/dev/src/project", NESTED.roots().get("ws"));
    }

    @Test
    void expandLeavesTextWithoutSentinelsAlone() {
        assertEquals("/home/dev/src/project/x", NESTED.expand("/home/dev/src/project/x"));
        assertEquals("/@kache/unknown/x", NESTED.expand("/@kache/unknown/x"));
    }

    @Test
    void remapArgsPutTheMostSpecificLast() {
        assertEquals(List.of(
                "--remap-path-prefix=/tmp=/@kache/tmp",
                "--remap-path-prefix=/home/dev=/@kache/home",
                "--remap-path-prefix=/home/dev/.cargo=/@kache/cargo",
                "--remap-path-prefix=/home/dev/src/project=/@kache/ws",
                "--remap-path-prefix=/home/dev/src/project/target=/@kache/target"), NESTED.remapArgs());
    }

    @Test
    void rootDirectoryIsIgnoredAndTheFirstNameOfADirectoryWins() {
        PathSentinels s = PathSentinels.of(roots("ws", "/", "target", "/w/t", "home", "/w/t", "tmp", "/w/./x/.."));
        assertEquals(List.of("/w/t", "/w"), s.prefixes());
        assertEquals("/@kache/target/a", s.normalize("/w/t/a"));
        assertEquals("/@kache/tmp/a", s.normalize("/w/a"));
    }

    static Map<String, Path> roots(String... nameDir) {
        Map<String, Path> m = new LinkedHashMap<>();
        for (int i = 0; i < nameDir.length; i += 2) {
            m.put(nameDir[i], Path.of(nameDir[i + 1]));
        }
        return m;
    }

    /**
     * rustc's dep-info writes a space in a path as a backslash and a space in its make rules, not in
     * its env-dep lines: a checkout under a path with a space stores sentinels, and each checkout
     * gets the paths back in the form rustc would have written (found by review: cargo then looked
     * for "/tmp/sp" and rebuilt every time, or tracked the other checkout's files).
     */
    @Test
    void depInfoPathsWithSpacesTakeTheFormTheirLineUses() {
        String written = "/tmp/sp\\ ace/a/target/debug/deps/x.d: /tmp/sp\\ ace/a/src/lib.rs /tmp/sp\\ ace/a/src/my\\ mod.rs\n"
                + "\n"
                + "/tmp/sp\\ ace/a/src/lib.rs:\n"
                + "# env-dep:CARGO_MANIFEST_DIR=/tmp/sp ace/a\n";
        String stored = PathSentinels.of(roots("ws", "/tmp/sp ace/a")).normalizeDepInfo(written);
        assertEquals("/@kache/ws/target/debug/deps/x.d: /@kache/ws/src/lib.rs /@kache/ws/src/my\\ mod.rs\n"
                + "\n"
                + "/@kache/ws/src/lib.rs:\n"
                + "# env-dep:CARGO_MANIFEST_DIR=/@kache/ws\n", stored);

        assertEquals("/tmp/c2/target/debug/deps/x.d: /tmp/c2/src/lib.rs /tmp/c2/src/my\\ mod.rs\n"
                + "\n"
                + "/tmp/c2/src/lib.rs:\n"
                + "# env-dep:CARGO_MANIFEST_DIR=/tmp/c2\n", PathSentinels.of(roots("ws", "/tmp/c2")).expandDepInfo(stored));
        assertEquals(written.replace("sp\\ ace", "o\\ ther").replace("sp ace", "o ther"),
                PathSentinels.of(roots("ws", "/tmp/o ther/a")).expandDepInfo(stored));
    }
}
