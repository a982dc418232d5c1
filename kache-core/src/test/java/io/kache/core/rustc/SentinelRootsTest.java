package io.kache.core.rustc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SentinelRootsTest {

    @TempDir
    Path temp;

    @Test
    void targetDirIsTheNearestAncestorWithCacheDirTag() throws IOException {
        Path ws = Files.createDirectories(temp.resolve("ws"));
        Files.createDirectories(ws.resolve("target/debug/deps"));
        Files.writeString(ws.resolve("target/CACHEDIR.TAG"), "Signature: 8a477f597d28d172789f06886806bc55\n");
        PathSentinels s = SentinelRoots.forCall(call(ws, ws.resolve("target/debug/deps")), Map.of(), ws);
        assertEquals("/@kache/target/debug/deps/x", s.normalize(ws + "/target/debug/deps/x"));
        assertEquals("/@kache/ws/src/lib.rs", s.normalize(ws + "/src/lib.rs"));
    }

    @Test
    void withoutCacheDirTagThereIsNoTargetSentinel() throws IOException {
        Path ws = Files.createDirectories(temp.resolve("ws"));
        PathSentinels s = SentinelRoots.forCall(call(ws, ws.resolve("target/debug/deps")), Map.of(), ws);
        assertEquals("/@kache/ws/target/debug/deps/x", s.normalize(ws + "/target/debug/deps/x"));
    }

    @Test
    void homeProvidesCargoAndRustupDefaults() throws IOException {
        Path ws = Files.createDirectories(temp.resolve("ws"));
        Path home = temp.resolve("home");
        PathSentinels s = SentinelRoots.forCall(call(ws, ws.resolve("out")), Map.of("HOME", home.toString()), ws);
        assertEquals("/@kache/cargo/registry", s.normalize(home + "/.cargo/registry"));
        assertEquals("/@kache/rustup/toolchains", s.normalize(home + "/.rustup/toolchains"));
        assertEquals("/@kache/home/.config", s.normalize(home + "/.config"));
        assertEquals("/@kache/tmp/x", s.normalize("/tmp/x"));
    }

    @Test
    void explicitDirectoriesWinAndRelativeOnesAreIgnored() throws IOException {
        Path ws = Files.createDirectories(temp.resolve("ws"));
        Map<String, String> env = Map.of("HOME", temp.resolve("home").toString(),
                "CARGO_HOME", temp.resolve("cargo").toString(), "RUSTUP_HOME", "relative/rustup",
                "TMPDIR", temp.resolve("scratch").toString(), "KACHE_BASE_DIR", temp.resolve("base").toString());
        PathSentinels s = SentinelRoots.forCall(call(ws, ws.resolve("out")), env, ws);
        assertEquals("/@kache/cargo/x", s.normalize(temp + "/cargo/x"));
        assertEquals("/@kache/home/.cargo/x", s.normalize(temp + "/home/.cargo/x"));
        assertEquals("/@kache/rustup/x", s.normalize(temp + "/home/.rustup/x"));
        assertEquals("/@kache/tmp/x", s.normalize(temp + "/scratch/x"));
        assertEquals("/@kache/base/x", s.normalize(temp + "/base/x"));
        assertEquals("/tmp/x", s.normalize("/tmp/x"));
    }

    private static RustcCall call(Path ws, Path outDir) {
        return assertInstanceOf(RustcCall.class, RustcArgsParser.parse(Path.of("rustc"), List.of("--crate-name",
                "x", "src/lib.rs", "--crate-type", "lib", "--emit=link", "--out-dir", outDir.toString()), ws));
    }
}
