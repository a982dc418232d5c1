package io.kache.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kache.testkit.SpyRustc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A linker chosen through {@code -C link-arg=-fuse-ld=bfd}, with real cargo (found by review, a hit
 * served the program the other linker linked): gcc runs the {@code ld.bfd} first on {@code PATH},
 * here one of two wrappers that define {@code MAGIC} differently. After {@code PATH} changes,
 * {@code cargo clean} and a kache build must print what a plain cargo build prints.
 */
class ChosenLinkerCargoIT {

    private static final Path REAL_LD_BFD = Path.of("/usr/bin/ld.bfd");

    @TempDir
    Path tmp;

    private Map<String, String> env;
    private Path kache;

    @BeforeEach
    void setUp() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(REAL_LD_BFD), "needs GNU ld at " + REAL_LD_BFD);
        kache = KacheLauncher.create(Files.createDirectories(tmp.resolve("bin")));
        env = new HashMap<>();
        env.put("RUSTC_WRAPPER", kache.toString());
        // The toolchain's rustc itself, as in the review: a script in its place (SpyRustc) is keyed
        // with its environment, PATH included, which would hide the linker's part of the key.
        env.put("RUSTC", SpyRustc.realRustc());
        env.put("KACHE_CACHE_DIR", tmp.resolve("store").toString());
        env.put("XDG_CONFIG_HOME", Files.createDirectories(tmp.resolve("xdg")).toString());
        env.put("CARGO_TERM_COLOR", "never");
        env.put("CARGO_NET_OFFLINE", "true");
        env.put("RUSTFLAGS", "-C link-arg=-fuse-ld=bfd");
    }

    @Test
    void theLdBfdFirstOnPathIsTheLinker() throws Exception {
        Path p1 = ldBfd(tmp.resolve("p1"), "0x1111");
        Path p2 = ldBfd(tmp.resolve("p2"), "0x2222");
        Path ws = tmp.resolve("app");
        write(ws.resolve("Cargo.toml"), "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n");
        write(ws.resolve("src/main.rs"), "unsafe extern \"C\" {\n    static MAGIC: u8;\n}\nfn main() {\n"
                + "    // The symbol's value is the wrapper's --defsym; a PIE moves it by whole pages.\n"
                + "    println!(\"magic = {:x}\", (&raw const MAGIC as usize) & 0xfff);\n}\n");

        cargo(ws, p1, "build").assertOk("build with p1's ld.bfd");
        assertEquals("magic = 111", run(ws));
        cargo(ws, p1, "clean").assertOk("clean");
        cargo(ws, p2, "build").assertOk("build with p2's ld.bfd");
        assertEquals("magic = 222", run(ws), "linked by p2's ld.bfd, as with plain cargo");

        // Exact, not merely different: each linker's program is served again from the cache.
        List<Long> before = hitsAndMisses(ws);
        cargo(ws, p1, "clean").assertOk("clean");
        cargo(ws, p1, "build").assertOk("build with p1's ld.bfd again");
        assertEquals("magic = 111", run(ws));
        List<Long> after = hitsAndMisses(ws);
        assertEquals(before.get(1), after.get(1), "p1's program is served from the cache: no miss");
        assertEquals(before.get(0) + 1, after.get(0), "one hit, the program");
    }

    /** {@code kache stats}' hits and misses. */
    private List<Long> hitsAndMisses(Path ws) throws Exception {
        String stats = CargoRun.run(ws, env, kache.toString(), "stats").assertOk("kache stats").stdout();
        return List.of(count(stats, "hits"), count(stats, "misses"));
    }

    private static long count(String stats, String name) {
        return stats.lines().filter(l -> l.startsWith(name + " ")).map(l -> Long.parseLong(l.substring(name.length()).strip()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + " in:\n" + stats));
    }

    /** A wrapper around the real {@code ld.bfd} that defines {@code MAGIC} as {@code value}. */
    private static Path ldBfd(Path dir, String value) throws IOException {
        Path ld = Files.createDirectories(dir).resolve("ld.bfd");
        Files.writeString(ld, "#!/bin/sh\nexec " + REAL_LD_BFD + " \"$@\" --defsym=MAGIC=" + value + "\n");
        Files.setPosixFilePermissions(ld, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    private String run(Path ws) throws Exception {
        return CargoRun.run(ws, Map.of(), ws.resolve("target/debug/app").toString()).assertOk("app").stdout().trim();
    }

    private CargoRun.Result cargo(Path ws, Path pathFirst, String... args) throws Exception {
        Map<String, String> all = new HashMap<>(env);
        all.put("PATH", pathFirst + ":" + System.getenv("PATH"));
        return CargoRun.cargo(ws, all, args);
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
