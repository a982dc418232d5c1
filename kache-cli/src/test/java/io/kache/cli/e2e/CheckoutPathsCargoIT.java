package io.kache.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.testkit.SpyRustc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With real cargo: a crate whose program holds a local path (env!("CARGO_MANIFEST_DIR"),
 * env!("OUT_DIR"), code a build script generated with an absolute path) never takes that path to
 * another checkout or target dir, while crates that hold none still hit there; and diagnostics in
 * generated code name the real file, on a miss and on a hit.
 */
class CheckoutPathsCargoIT {

    static final Map<String, String> FILES = Map.ofEntries(
            Map.entry("Cargo.toml", "[workspace]\nmembers = [\"mdir\", \"odir\", \"gen\", \"plain\", \"app\"]\nresolver = \"2\"\n"),
            Map.entry("mdir/Cargo.toml", SmallWorkspace.manifest("mdir", "")),
            Map.entry("mdir/src/lib.rs", "pub fn get() -> &'static str { env!(\"CARGO_MANIFEST_DIR\") }\n"),
            Map.entry("odir/Cargo.toml", SmallWorkspace.manifest("odir", "")),
            Map.entry("odir/build.rs", "fn main() { println!(\"cargo:rerun-if-changed=build.rs\"); }\n"),
            Map.entry("odir/src/lib.rs", "pub fn get() -> String { concat!(env!(\"OUT_DIR\"), \"/x\").to_string() }\n"),
            Map.entry("gen/Cargo.toml", SmallWorkspace.manifest("gen", "")),
            Map.entry("gen/build.rs", """
                    fn main() {
                        let out = std::env::var("OUT_DIR").unwrap();
                        let code = format!("pub fn get() -> &'static str {{ {:?} }}\\n", out);
                        std::fs::write(std::path::Path::new(&out).join("generated.rs"), code).unwrap();
                        println!("cargo:rerun-if-changed=build.rs");
                    }
                    """),
            Map.entry("gen/src/lib.rs", "include!(concat!(env!(\"OUT_DIR\"), \"/generated.rs\"));\n"),
            // Reads its manifest dir and OUT_DIR at compile time only; its generated code warns.
            Map.entry("plain/Cargo.toml", SmallWorkspace.manifest("plain", "")),
            Map.entry("plain/data.txt", "data\n"),
            Map.entry("plain/build.rs", """
                    fn main() {
                        let out = std::env::var("OUT_DIR").unwrap();
                        let code = "pub fn warns() -> u32 { let unused = 1; 7 }\\n";
                        std::fs::write(std::path::Path::new(&out).join("warns.rs"), code).unwrap();
                        println!("cargo:rerun-if-changed=build.rs");
                    }
                    """),
            Map.entry("plain/src/lib.rs", """
                    include!(concat!(env!("OUT_DIR"), "/warns.rs"));
                    pub fn data() -> &'static str { include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/data.txt")).trim() }
                    """),
            Map.entry("app/Cargo.toml", SmallWorkspace.manifest("app", """
                    [dependencies]
                    mdir = { path = "../mdir" }
                    odir = { path = "../odir" }
                    gen = { path = "../gen" }
                    plain = { path = "../plain" }
                    """)),
            Map.entry("app/src/main.rs", """
                    fn main() {
                        println!("mdir={}", mdir::get());
                        println!("odir={}", odir::get());
                        println!("gen={}", gen::get());
                        println!("plain={} {}", plain::data(), plain::warns());
                    }
                    """));

    @TempDir
    Path tmp;

    private Path kache;
    private SpyRustc spy;
    private Path store;

    @BeforeEach
    void setUp() throws Exception {
        kache = KacheLauncher.create(Files.createDirectories(tmp.resolve("bin")));
        spy = SpyRustc.create(tmp.resolve("spy"));
        store = tmp.resolve("store");
    }

    private SmallWorkspace workspace(String name) throws Exception {
        return SmallWorkspace.write(tmp.resolve(name), FILES, kache, spy, store, Files.createDirectories(tmp.resolve("xdg")));
    }

    @Test
    void aPathEmbeddingCrateNeverCrossesCheckoutsAndTheOthersStillHit() throws Exception {
        SmallWorkspace ws = workspace("ws");
        ws.cargo(Map.of(), "build").assertOk("build in ws");
        spy.takeCompiled();
        assertPaths(ws.run(ws.dir.resolve("target/debug/app")), ws.dir, ws.dir.resolve("target"));

        SmallWorkspace ws2 = workspace("elsewhere/ws2");
        ws2.cargo(Map.of(), "build").assertOk("build in ws2");
        assertEquals(List.of("app", "gen", "mdir", "odir"), spy.takeCompiled(),
                "the crates whose output holds a path compile anew; plain and the build scripts hit");
        assertPaths(ws2.run(ws2.dir.resolve("target/debug/app")), ws2.dir, ws2.dir.resolve("target"));

        // Each checkout keeps its own entries: both are served after cargo clean.
        for (SmallWorkspace w : List.of(ws, ws2)) {
            w.cargo(Map.of(), "clean").assertOk("clean");
            w.cargo(Map.of(), "build").assertOk("build after clean");
            assertEquals(List.of(), spy.takeCompiled(), w.dir + " is served from its own entries");
            assertPaths(w.run(w.dir.resolve("target/debug/app")), w.dir, w.dir.resolve("target"));
        }
    }

    /**
     * Code instrumented for coverage names its sources by their real paths (a coverage report opens
     * them), not by kache's sentinels: so it is compiled without the remapping and never crosses to
     * another checkout, while the same checkout is still served after cargo clean.
     */
    @Test
    void coverageInstrumentedCodeNamesTheRealSourcesAndStaysInItsCheckout() throws Exception {
        Map<String, String> coverage = Map.of("RUSTFLAGS", "-Cinstrument-coverage");
        Path xdg = Files.createDirectories(tmp.resolve("xdg"));
        Map<String, String> files = Map.of("Cargo.toml", SmallWorkspace.manifest("cov", ""),
                "src/main.rs", "fn main() { println!(\"covered\"); }\n");
        SmallWorkspace ws = SmallWorkspace.write(tmp.resolve("ws"), files, kache, spy, store, xdg);
        ws.cargo(coverage, "build").assertOk("coverage build in ws");
        assertEquals(List.of("cov"), spy.takeCompiled());
        ws.cargo(Map.of(), "clean").assertOk("clean");
        ws.cargo(coverage, "build").assertOk("coverage build after clean");
        assertEquals(List.of(), spy.takeCompiled(), "served in its own checkout");
        byte[] program = Files.readAllBytes(ws.dir.resolve("target/debug/cov"));
        assertTrue(contains(program, ws.dir.toString()), "the program names the real checkout");
        assertFalse(contains(program, "/@kache/"), "and no sentinel");

        SmallWorkspace ws2 = SmallWorkspace.write(tmp.resolve("elsewhere/ws2"), files, kache, spy, store, xdg);
        ws2.cargo(coverage, "build").assertOk("coverage build in ws2");
        assertEquals(List.of("cov"), spy.takeCompiled(), "another checkout compiles its own");
        assertTrue(contains(Files.readAllBytes(ws2.dir.resolve("target/debug/cov")), ws2.dir.toString()));
    }

    /**
     * A warning that quotes a source line naming the checkout: another checkout's check (its source
     * names the same, first checkout) shows that line as plain cargo does, not rewritten to its own
     * path. Found by review: the quoted text and JSON suggestions named the replaying checkout. A
     * check writes no code, so no output holds the path to bind the entry by.
     */
    @Test
    void aWarningQuotingTheCheckoutsPathIsShownAsTheSourceHoldsIt() throws Exception {
        Path first = tmp.resolve("ws");
        String literal = first.resolve("data.txt").toString();
        Map<String, String> files = Map.of("Cargo.toml", SmallWorkspace.manifest("quoting", ""),
                "src/lib.rs", "pub fn f() {\n    let unused = \"" + literal + "\";\n}\n");
        Path xdg = Files.createDirectories(tmp.resolve("xdg"));
        SmallWorkspace ws = SmallWorkspace.write(first, files, kache, spy, store, xdg);
        assertTrue(ws.cargo(Map.of(), "check").assertOk("check in ws").stderr().contains(literal));
        spy.takeCompiled();

        SmallWorkspace ws2 = SmallWorkspace.write(tmp.resolve("elsewhere/ws2"), files, kache, spy, store, xdg);
        String shown = ws2.cargo(Map.of(), "check").assertOk("check in ws2").stderr();
        assertTrue(shown.contains(literal), "the source's own text:\n" + shown);
        assertFalse(shown.contains(ws2.dir.resolve("data.txt").toString()), shown);
        assertEquals(List.of("quoting"), spy.takeCompiled(), "the entry is bound to the checkout its warning quotes");
        ws2.cargo(Map.of(), "clean").assertOk("clean");
        assertTrue(ws2.cargo(Map.of(), "check").assertOk("ws2 again").stderr().contains(literal));
        assertEquals(List.of(), spy.takeCompiled(), "ws2 is served from its own entry");
    }

    /**
     * rpath = true with -C prefer-dynamic: rustc writes the path from the output's directory to the
     * toolchain's libraries as $ORIGIN/../…, which depends on how deep the target dir lies. A program
     * served from a target dir at another depth could not load libstd (found by review).
     */
    @Test
    void anRpathProgramRunsFromATargetDirAtAnotherDepth() throws Exception {
        Map<String, String> files = Map.of(
                "Cargo.toml", "[workspace]\nmembers = [\"dl\", \"app\"]\nresolver = \"2\"\n[profile.dev]\nrpath = true\n",
                ".cargo/config.toml", "[build]\nrustflags = [\"-C\", \"prefer-dynamic\"]\n",
                "dl/Cargo.toml", SmallWorkspace.manifest("dl", "[lib]\ncrate-type = [\"dylib\"]\n"),
                "dl/src/lib.rs", "pub fn hi() -> &'static str { \"hi from dylib\" }\n",
                "app/Cargo.toml", SmallWorkspace.manifest("app", "[dependencies]\ndl = { path = \"../dl\" }\n"),
                "app/src/main.rs", "fn main() { println!(\"{}\", dl::hi()); }\n");
        SmallWorkspace ws = SmallWorkspace.write(tmp.resolve("ws"), files, kache, spy, store,
                Files.createDirectories(tmp.resolve("xdg")));
        for (Path target : List.of(tmp.resolve("t1"), tmp.resolve("x/y/z/t2"))) {
            ws.cargo(Map.of("CARGO_TARGET_DIR", target.toString()), "build").assertOk("build into " + target);
            assertEquals("hi from dylib\n", CargoRun.run(ws.dir, Map.of(), target.resolve("debug/app").toString())
                    .assertOk("app run from " + target).stdout());
        }
    }

    private static boolean contains(byte[] haystack, String needle) {
        return new String(haystack, java.nio.charset.StandardCharsets.ISO_8859_1).contains(needle);
    }

    /**
     * A source that names a file by its absolute path reads that file from every checkout: another
     * checkout must not be served an artifact built from its own copy of the file (it was, and its
     * restored dep-info named the copy), while it still hits when the named file is the same.
     */
    @Test
    void aFileNamedByItsAbsolutePathIsReadThereFromEveryCheckout() throws Exception {
        Path shared = tmp.resolve("ws");
        Map<String, String> files = Map.of(
                "Cargo.toml", SmallWorkspace.manifest("absinc", ""),
                "data.txt", "v1\n",
                "src/main.rs", "const D: &str = include_str!(\"" + shared.resolve("data.txt") + "\");\n"
                        + "fn main() { println!(\"data={}\", D.trim()); }\n");
        Path xdg = Files.createDirectories(tmp.resolve("xdg"));
        SmallWorkspace ws = SmallWorkspace.write(shared, files, kache, spy, store, xdg);
        ws.cargo(Map.of(), "build").assertOk("build in ws");
        SmallWorkspace copy = SmallWorkspace.write(tmp.resolve("elsewhere/copy"), files, kache, spy, store, xdg);
        spy.takeCompiled();

        Files.writeString(shared.resolve("data.txt"), "v2\n");
        copy.cargo(Map.of(), "build").assertOk("build in the copy");
        assertEquals(List.of("absinc"), spy.takeCompiled(), "the copy compiles: the file it reads changed");
        assertEquals("data=v2", copy.run(copy.dir.resolve("target/debug/absinc")).trim(), "what rustc reads: ws's file");

        // The restored dep-info names the file rustc read: cargo rebuilds when it changes.
        copy.cargo(Map.of(), "clean").assertOk("clean");
        copy.cargo(Map.of(), "build").assertOk("build after clean");
        assertEquals(List.of(), spy.takeCompiled(), "served from the copy's own entry");
        Files.writeString(shared.resolve("data.txt"), "v3\n");
        copy.cargo(Map.of(), "build").assertOk("build after the named file changed");
        assertEquals("data=v3", copy.run(copy.dir.resolve("target/debug/absinc")).trim());
    }

    /**
     * An LTO build's dependencies are compiled to LLVM bitcode ({@code -C linker-plugin-lto}), where a
     * path the crate holds is no plain bytes to find: their entries never cross checkouts either.
     */
    @Test
    void aPathEmbeddingCrateBuiltForLtoNeverCrossesCheckouts() throws Exception {
        Map<String, String> lto = Map.of("CARGO_PROFILE_RELEASE_LTO", "true");
        SmallWorkspace ws = workspace("ws");
        ws.cargo(lto, "build", "--release").assertOk("LTO build in ws");
        assertPaths(ws.run(ws.dir.resolve("target/release/app")), ws.dir, ws.dir.resolve("target"), "release");

        SmallWorkspace ws2 = workspace("elsewhere/ws2");
        ws2.cargo(lto, "build", "--release").assertOk("LTO build in ws2");
        assertPaths(ws2.run(ws2.dir.resolve("target/release/app")), ws2.dir, ws2.dir.resolve("target"), "release");
    }

    /**
     * rustc writes a space in a dep-info path as a backslash and a space: entries move between a
     * checkout under a path with a space and one without, and cargo finds every restored unit fresh.
     */
    @Test
    void checkoutsWithAndWithoutASpaceInTheirPathShareEntriesAndStayFresh() throws Exception {
        int n = 0;
        for (String[] pair : List.of(new String[] {"sp ace/ws", "plain/ws"}, new String[] {"plain2/ws", "an other/ws"})) {
            Path pairStore = tmp.resolve("store-" + n++);
            Path xdg = Files.createDirectories(tmp.resolve("xdg"));
            SmallWorkspace first = SmallWorkspace.write(tmp.resolve(pair[0]), FILES, kache, spy, pairStore, xdg);
            first.cargo(Map.of(), "build").assertOk("build in " + pair[0]);
            SmallWorkspace second = SmallWorkspace.write(tmp.resolve(pair[1]), FILES, kache, spy, pairStore, xdg);
            second.cargo(Map.of(), "build").assertOk("build in " + pair[1]);
            // Gone, as a CI runner's previous checkout is: dep-info naming its files would make units dirty.
            first.cargo(Map.of(), "clean").assertOk("clean " + pair[0]);
            CargoRun.Result again = second.cargo(Map.of(), "build", "-v").assertOk("no-op build in " + pair[1]);
            assertFalse(again.stderr().contains("Compiling") || again.stderr().contains("Dirty"),
                    pair[0] + " -> " + pair[1] + ": every unit fresh: " + again.stderr());
        }
    }

    @Test
    void anotherTargetDirOfTheSameCheckoutGetsItsOwnOutDir() throws Exception {
        SmallWorkspace ws = workspace("ws");
        ws.cargo(Map.of(), "build").assertOk("build");
        spy.takeCompiled();

        Path t2 = tmp.resolve("target-two");
        ws.cargo(Map.of("CARGO_TARGET_DIR", t2.toString()), "build").assertOk("build into another target dir");
        assertEquals(List.of("app", "gen", "odir"), spy.takeCompiled(),
                "OUT_DIR lies in the target dir: its embedders compile; mdir (the manifest dir) and plain hit");
        assertPaths(ws.run(t2.resolve("debug/app")), ws.dir, t2);
    }

    @Test
    void aWarningInGeneratedCodeNamesTheRealFileOnAMissAndOnAHit() throws Exception {
        SmallWorkspace ws = workspace("ws");
        Map<String, String> colour = Map.of("CARGO_TERM_COLOR", "always");
        String miss = ws.cargo(colour, "build").assertOk("build").stderr();
        assertRealPath(miss, ws.dir.resolve("target"), "miss");

        ws.cargo(Map.of(), "clean").assertOk("clean");
        spy.takeCompiled();
        String hit = ws.cargo(colour, "build").assertOk("build after clean").stderr();
        assertFalse(spy.takeCompiled().contains("plain"), "plain was served from the cache");
        assertRealPath(hit, ws.dir.resolve("target"), "hit");

        SmallWorkspace ws2 = workspace("ws2");
        String other = ws2.cargo(colour, "build").assertOk("build in another checkout").stderr();
        assertFalse(spy.takeCompiled().contains("plain"), "plain was served from the cache");
        assertRealPath(other, ws2.dir.resolve("target"), "hit in another checkout");
    }

    private static void assertRealPath(String stderr, Path target, String what) {
        assertTrue(stderr.contains("unused variable"), what + ": the warning is shown: " + stderr);
        assertFalse(stderr.contains("/@kache"), what + ": no sentinel is shown: " + stderr);
        assertTrue(stderr.contains(target + "/debug/build/plain-"), what + ": the real path is shown: " + stderr);
    }

    private static void assertPaths(String output, Path ws, Path target) {
        assertPaths(output, ws, target, "debug");
    }

    private static void assertPaths(String output, Path ws, Path target, String profile) {
        List<String> lines = output.lines().toList();
        assertEquals("mdir=" + ws.resolve("mdir"), lines.get(0));
        assertTrue(lines.get(1).startsWith("odir=" + target + "/" + profile + "/build/odir-") && lines.get(1).endsWith("/out/x"),
                lines.get(1));
        assertTrue(lines.get(2).startsWith("gen=" + target + "/" + profile + "/build/gen-") && lines.get(2).endsWith("/out"),
                lines.get(2));
        assertEquals("plain=data 7", lines.get(3));
    }
}
