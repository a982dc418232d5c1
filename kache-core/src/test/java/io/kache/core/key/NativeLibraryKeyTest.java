package io.kache.core.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.kache.core.rustc.ParsedCall;
import io.kache.core.rustc.Passthrough;
import io.kache.core.rustc.PathSentinels;
import io.kache.core.rustc.RustcArgsParser;
import io.kache.core.rustc.RustcCall;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A C library a build script compiled into OUT_DIR and linked with {@code -l static=} is bundled into
 * the rlib: its content must be part of the key, or a changed C source would restore a stale rlib.
 */
class NativeLibraryKeyTest {

    @TempDir
    Path ws;

    private final FileHasher sha256 = Sha256Files.HASHER;

    private String key(List<String> args) throws Exception {
        RustcCall call = (RustcCall) RustcArgsParser.parse(Path.of("/usr/bin/rustc"), args, ws);
        KeyContext ctx = new KeyContext("rustc 1.95.0", PathSentinels.of(Map.of("ws", ws)), Map.of(), ws, "",
                Optional.empty(), sha256);
        return CacheKeyRecipe.callKey(call, ctx);
    }

    private List<String> linking(String kind) {
        return List.of("--crate-name", "sys", "--edition=2021", "src/lib.rs", "--crate-type", "lib",
                "--emit=dep-info,metadata,link", "--out-dir", ws.resolve("out").toString(),
                "-L", "native=" + ws.resolve("native"), "-l", kind + "clib");
    }

    @Test
    void aStaticLibraryIsKeyedByContent() throws Exception {
        Files.createDirectories(ws.resolve("native"));
        Files.write(ws.resolve("native/libclib.a"), new byte[] {1, 2, 3});
        String before = key(linking("static="));
        assertEquals(before, key(linking("static=")), "same library, same key");
        Files.write(ws.resolve("native/libclib.a"), new byte[] {1, 2, 4});
        assertNotEquals(before, key(linking("static=")), "a changed static library changes the key");
    }

    @Test
    void aSharedLibraryWithoutKindIsKeyedByContentToo() throws Exception {
        Files.createDirectories(ws.resolve("native"));
        Files.write(ws.resolve("native/libclib.so"), new byte[] {7});
        String before = key(linking(""));
        Files.write(ws.resolve("native/libclib.so"), new byte[] {8});
        assertNotEquals(before, key(linking("")));
    }

    @Test
    void splitDebuginfoSideFilesArePassedThrough() {
        ParsedCall parsed = RustcArgsParser.parse(Path.of("/usr/bin/rustc"), List.of("--crate-name", "a",
                "src/lib.rs", "--crate-type", "lib", "--emit=link", "--out-dir", "/tmp/o",
                "-C", "split-debuginfo=unpacked"), ws);
        assertInstanceOf(Passthrough.class, parsed);
        assertInstanceOf(RustcCall.class, RustcArgsParser.parse(Path.of("/usr/bin/rustc"), List.of("--crate-name",
                "a", "src/lib.rs", "--crate-type", "lib", "--emit=link", "--out-dir", "/tmp/o",
                "-C", "split-debuginfo=off"), ws));
    }
}
