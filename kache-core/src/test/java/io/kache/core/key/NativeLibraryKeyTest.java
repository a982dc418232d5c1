package io.kache.core.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.core.hash.FileHasher;
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
 * Native files rustc or the linker read are keyed by content, or a changed C source would restore a
 * stale rlib or program: a C library a build script compiled into OUT_DIR, found with or without
 * {@code -l}; objects, scripts and directories named by link arguments.
 */
class NativeLibraryKeyTest {

    @TempDir
    Path ws;

    private final FileHasher sha256 = Sha256Files.HASHER;

    private String key(List<String> args) throws Exception {
        return key(args, Map.of());
    }

    private String key(List<String> args, Map<String, String> env) throws Exception {
        RustcCall call = (RustcCall) RustcArgsParser.parse(Path.of("/usr/bin/rustc"), args, ws);
        KeyContext ctx = new KeyContext("rustc 1.95.0", PathSentinels.of(Map.of("ws", ws)), env, ws, "",
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

    /** {@code #[link(name = "clib", kind = "static")]} in source: the call names only the directory. */
    @Test
    void everyFileInANativeOrAllDirectoryIsKeyedWithoutAnyDashL() throws Exception {
        for (String kind : List.of("native=", "all=", "")) {
            Path dir = Files.createDirectories(ws.resolve("dir-" + kind.replace("=", "")));
            List<String> args = List.of("--crate-name", "sys", "src/lib.rs", "--crate-type", "lib",
                    "--emit=dep-info,metadata,link", "--out-dir", ws.resolve("out").toString(), "-L", kind + dir);
            String empty = key(args);
            Files.write(dir.resolve("libclib.a"), new byte[] {1});
            String one = key(args);
            assertNotEquals(empty, one, kind + ": a library appearing changes the key");
            Files.write(dir.resolve("libclib.a"), new byte[] {2});
            String two = key(args);
            assertNotEquals(one, two, kind + ": a changed library changes the key");
            Files.writeString(dir.resolve("weird-name.x"), "INPUT(libclib.a)");
            assertNotEquals(two, key(args), kind + ": any file may be a verbatim library or a linker script");
            Files.createDirectories(dir.resolve("sub"));
            Files.write(dir.resolve("sub/libother.a"), new byte[] {9});
            String withSub = key(args);
            Files.write(dir.resolve("sub/libother.a"), new byte[] {10});
            assertEquals(withSub, key(args), kind + ": subdirectories are not searched");
        }
    }

    /** cargo's deps/ holds crates, keyed through --extern: not rescanned per call. */
    @Test
    void dependencyDirectoriesAreNotScanned() throws Exception {
        Path deps = Files.createDirectories(ws.resolve("deps"));
        List<String> args = List.of("--crate-name", "app", "src/main.rs", "--crate-type", "bin", "--emit=dep-info,link",
                "--out-dir", ws.resolve("out").toString(), "-L", "dependency=" + deps);
        String before = key(args);
        Files.write(deps.resolve("libunrelated-0123.rlib"), new byte[] {1});
        assertEquals(before, key(args));
    }

    /**
     * {@code extern crate ext;} finds ext in a {@code crate=}, {@code all=} or plain {@code -L}
     * directory, for a check as for a build: a changed crate there changes the key of both.
     */
    @Test
    void crateSearchDirectoriesAreKeyedForEveryCall() throws Exception {
        Path extlib = Files.createDirectories(ws.resolve("extlib"));
        for (String emit : List.of("--emit=dep-info,metadata", "--emit=dep-info,metadata,link")) {
            for (String dir : List.of("crate=" + extlib, "all=" + extlib, extlib.toString())) {
                List<String> args = List.of("--crate-name", "user", "src/lib.rs", "--crate-type", "lib", emit,
                        "--out-dir", ws.resolve("out").toString(), "-L", dir);
                Files.write(extlib.resolve("libext.rlib"), new byte[] {1});
                String one = key(args);
                Files.write(extlib.resolve("libext.rlib"), new byte[] {2});
                assertNotEquals(one, key(args), emit + " -L " + dir + ": a changed crate changes the key");
            }
        }
        List<String> nativeCheck = List.of("--crate-name", "user", "src/lib.rs", "--crate-type", "lib",
                "--emit=dep-info,metadata", "--out-dir", ws.resolve("out").toString(), "-L", "native=" + extlib);
        String before = key(nativeCheck);
        Files.write(extlib.resolve("libext.rlib"), new byte[] {3});
        assertEquals(before, key(nativeCheck), "no crate is looked for in a native directory, and a check links nothing");
    }

    /** The C compiler driver searches LIBRARY_PATH like -L: a program linked against another libfoo.a is another entry. */
    @Test
    void libraryPathIsKeyedByContentForCallsThatLink() throws Exception {
        Path d1 = Files.createDirectories(ws.resolve("d1"));
        Files.write(d1.resolve("libfoo.a"), new byte[] {1});
        Path d2 = Files.createDirectories(ws.resolve("d2"));
        Files.write(d2.resolve("libfoo.a"), new byte[] {2});
        List<String> bin = List.of("--crate-name", "app", "src/main.rs", "--crate-type", "bin", "--emit=dep-info,link",
                "--out-dir", ws.resolve("out").toString());
        String one = key(bin, Map.of("LIBRARY_PATH", d1.toString()));
        assertNotEquals(one, key(bin, Map.of("LIBRARY_PATH", d2.toString())), "another directory");
        assertNotEquals(one, key(bin), "no LIBRARY_PATH");
        Files.write(d1.resolve("libfoo.a"), new byte[] {3});
        assertNotEquals(one, key(bin, Map.of("LIBRARY_PATH", d1.toString())), "a changed library in it");
        List<String> rlib = List.of("--crate-name", "lib", "src/lib.rs", "--crate-type", "lib",
                "--emit=dep-info,metadata,link", "--out-dir", ws.resolve("out").toString());
        assertEquals(key(rlib), key(rlib, Map.of("LIBRARY_PATH", d1.toString())), "an rlib runs no linker");
    }

    /** {@code cargo:rustc-link-arg=OUT_DIR/obj.o}, linker scripts and response files: keyed by content. */
    @Test
    void filesNamedByLinkArgsAreKeyedByContent() throws Exception {
        Path obj = Files.write(Files.createDirectories(ws.resolve("build/out")).resolve("obj.o"), new byte[] {1});
        Path script = Files.writeString(ws.resolve("build/out/link.ld"), "SECTIONS {}");
        Path rsp = Files.writeString(ws.resolve("build/out/args.rsp"), "-lfoo");
        Path libDir = Files.createDirectories(ws.resolve("build/lib"));
        Path lib = Files.write(libDir.resolve("libfoo.a"), new byte[] {1});
        for (List<String> linkArgs : List.of(
                List.of("-C", "link-arg=" + obj),
                List.of("-C", "link-arg=build/out/obj.o"),
                List.of("-C", "link-args=-nostartfiles " + obj + " -Wl,--gc-sections"),
                List.of("-C", "link-arg=-Wl,-T," + script),
                List.of("-C", "link-arg=-T" + script),
                List.of("-C", "link-arg=-Wl,--script=" + script),
                List.of("-C", "link-arg=@" + rsp),
                List.of("-C", "link-arg=-L" + libDir),
                List.of("-C", "link-arg=-Wl,-L," + libDir),
                List.of("-C", "link-arg=-L", "-C", "link-arg=" + libDir))) {
            List<String> args = new java.util.ArrayList<>(List.of("--crate-name", "app", "src/main.rs",
                    "--crate-type", "bin", "--emit=dep-info,link", "--out-dir", ws.resolve("out").toString()));
            args.addAll(linkArgs);
            String before = key(args);
            for (Path file : List.of(obj, script, rsp, lib)) {
                byte[] old = Files.readAllBytes(file);
                Files.write(file, new byte[] {42, 42});
                String changed = key(args);
                Files.write(file, old);
                boolean named = String.join(" ", linkArgs).contains(file.getFileName().toString())
                        || (file.equals(lib) && String.join(" ", linkArgs).contains(libDir.toString()));
                if (named) {
                    assertNotEquals(before, changed, linkArgs + " reads " + file);
                } else {
                    assertEquals(before, changed, linkArgs + " does not read " + file);
                }
            }
        }
    }

    @Test
    void aHugeNativeDirectoryPassesThroughWithItsReason() throws Exception {
        Path dir = Files.createDirectories(ws.resolve("usr-lib"));
        for (int i = 0; i <= LinkInputs.MAX_DIR_FILES; i++) {
            Files.write(dir.resolve("lib" + i + ".so"), new byte[] {(byte) i});
        }
        List<String> args = List.of("--crate-name", "app", "src/main.rs", "--crate-type", "bin", "--emit=dep-info,link",
                "--out-dir", ws.resolve("out").toString(), "-L", "native=" + dir);
        UncacheableCallException e = assertThrows(UncacheableCallException.class, () -> key(args));
        assertEquals(LinkInputs.TOO_LARGE, e.reason());
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        Files.delete(dir.resolve("lib0.so"));
        key(args);
    }

    /** cargo check reads no native library: its key ignores them, and a huge directory costs it nothing. */
    @Test
    void aMetadataOnlyCallDoesNotScan() throws Exception {
        Path dir = Files.createDirectories(ws.resolve("usr-lib"));
        for (int i = 0; i <= LinkInputs.MAX_DIR_FILES; i++) {
            Files.write(dir.resolve("lib" + i + ".so"), new byte[] {(byte) i});
        }
        List<String> args = List.of("--crate-name", "sys", "src/lib.rs", "--crate-type", "lib",
                "--emit=dep-info,metadata", "--out-dir", ws.resolve("out").toString(), "-L", "native=" + dir);
        String before = key(args);
        Files.write(dir.resolve("lib0.so"), new byte[] {42});
        assertEquals(before, key(args));
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
