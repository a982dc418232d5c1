package io.kache.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kache.testkit.SpyRustc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Native files the linker reads that no rustc argument names directly, with real cargo (found by
 * review, each served a program linked against the older library): an object listed in a response
 * file, an archive a text {@code libmagic.so} (a linker script) names, and a verbatim {@code -l} name
 * with a directory part. After the library changes, {@code cargo clean} and a kache build must run
 * the new code, as a plain cargo build does.
 */
class IndirectLinkInputsCargoIT {

    @TempDir
    Path tmp;

    private Map<String, String> env;

    @BeforeEach
    void setUp() throws Exception {
        Path kache = KacheLauncher.create(Files.createDirectories(tmp.resolve("bin")));
        SpyRustc spy = SpyRustc.create(tmp.resolve("spy"));
        env = new HashMap<>();
        env.put("RUSTC_WRAPPER", kache.toString());
        env.put("RUSTC", spy.path().toString());
        env.put("KACHE_CACHE_DIR", tmp.resolve("store").toString());
        env.put("XDG_CONFIG_HOME", Files.createDirectories(tmp.resolve("xdg")).toString());
        env.put("CARGO_TERM_COLOR", "never");
        env.put("CARGO_NET_OFFLINE", "true");
    }

    /** {@code cargo:rustc-link-arg=@resp.txt}, resp.txt naming {@code magic.o}. */
    @Test
    void anObjectListedInAResponseFile() throws Exception {
        Path nat = Files.createDirectories(tmp.resolve("native"));
        Files.writeString(nat.resolve("resp.txt"), nat.resolve("magic.o") + "\n");
        assertServesTheNewLibrary(nat, "println!(\"cargo:rustc-link-arg=@" + nat.resolve("resp.txt") + "\");");
    }

    /** {@code libmagic.so} in a native dir is the text {@code INPUT(.../libmagic.a)}, like glibc's libc.so. */
    @Test
    void anArchiveNamedByALinkerScriptLibrary() throws Exception {
        Path nat = Files.createDirectories(tmp.resolve("native"));
        Path ldir = Files.createDirectories(tmp.resolve("ldir"));
        Files.writeString(ldir.resolve("libmagic.so"), "INPUT(" + nat.resolve("libmagic.a") + ")\n");
        assertServesTheNewLibrary(nat, "println!(\"cargo:rustc-link-search=native=" + ldir + "\");\n"
                + "    println!(\"cargo:rustc-link-lib=dylib=magic\");");
    }

    /** {@code -l static:+verbatim=native/libmagic.a} with {@code -L native=TMP}: the linker opens TMP/native/libmagic.a. */
    @Test
    void aVerbatimLibraryBelowTheSearchDirectory() throws Exception {
        Path nat = Files.createDirectories(tmp.resolve("native"));
        assertServesTheNewLibrary(nat, "println!(\"cargo:rustc-link-search=native=" + tmp + "\");\n"
                + "    println!(\"cargo:rustc-link-lib=static:+verbatim=native/libmagic.a\");");
    }

    private void assertServesTheNewLibrary(Path nat, String emit) throws Exception {
        Path ws = tmp.resolve("app");
        write(ws.resolve("Cargo.toml"), "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n");
        write(ws.resolve("build.rs"), "fn main() {\n    " + emit + "\n    println!(\"cargo:rerun-if-changed=build.rs\");\n}\n");
        write(ws.resolve("src/main.rs"), "unsafe extern \"C\" { fn magic() -> i32; }\n"
                + "fn main() { println!(\"magic = {}\", unsafe { magic() }); }\n");
        magic(nat, 1);
        cargo(ws, "build").assertOk("first build");
        assertEquals("magic = 1", run(ws));
        magic(nat, 2);
        cargo(ws, "clean").assertOk("clean");
        cargo(ws, "build").assertOk("build after the library changed");
        assertEquals("magic = 2", run(ws), "the program links the new library, as with plain cargo");
        magic(nat, 1);
        cargo(ws, "clean").assertOk("clean");
        cargo(ws, "build").assertOk("build with the first library again");
        assertEquals("magic = 1", run(ws));
    }

    /** {@code nat/magic.o} and {@code nat/libmagic.a} whose {@code magic()} returns {@code value}. */
    private void magic(Path nat, int value) throws Exception {
        Files.writeString(nat.resolve("magic.c"), "int magic(void) { return " + value + "; }\n");
        CargoRun.run(nat, Map.of(), "cc", "-c", "-fPIC", "magic.c", "-o", "magic.o").assertOk("cc");
        Files.deleteIfExists(nat.resolve("libmagic.a"));
        CargoRun.run(nat, Map.of(), "ar", "rcs", "libmagic.a", "magic.o").assertOk("ar");
    }

    private String run(Path ws) throws Exception {
        return CargoRun.run(ws, Map.of(), ws.resolve("target/debug/app").toString()).assertOk("app").stdout().trim();
    }

    private CargoRun.Result cargo(Path ws, String... args) throws Exception {
        return CargoRun.cargo(ws, env, args);
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
