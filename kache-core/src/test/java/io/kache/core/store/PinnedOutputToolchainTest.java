package io.kache.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kache.core.hash.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The kache server stores a miss from hard links it made to the outputs ({@link PinnedOutput}),
 * after cargo was told the unit finished. That is only sound if nothing writes into an existing
 * output afterwards: here the real cargo, rustc and linker rebuild every kind of output a cached
 * call produces — an {@code .rlib} and {@code .rmeta}, a binary, a proc-macro {@code .so}, a build
 * script — after every source changed, with and without incremental compilation, and every pinned
 * file must keep its bytes and its identity while the target paths get new content.
 * (The {@code .d} files are rewritten in place, which is why kache reads them before it answers.)
 */
class PinnedOutputToolchainTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "incremental={0}")
    @ValueSource(booleans = {false, true})
    void aRebuildReplacesOutputsAndNeverWritesIntoAPinnedOne(boolean incremental) throws Exception {
        assumeTrue(RustcOverwriteTest.onPath("cargo"), "cargo must be on PATH");
        Path ws = workspace(tmp.resolve("ws"), 1);
        cargoBuild(ws, incremental);

        Map<Path, String> pinnedHashes = new LinkedHashMap<>();
        List<PinnedOutput> pins = new ArrayList<>();
        try (LocalStore store = LocalStore.open(tmp.resolve("store"), 1L << 30)) {
            for (Path output : outputs(ws)) {
                PinnedOutput pin = store.pin(output).orElseThrow();
                pins.add(pin);
                pinnedHashes.put(output, Sha256.of(pin.path()));
            }
            assertTrue(pinnedHashes.keySet().stream().anyMatch(p -> name(p).endsWith(".rlib")), "an rlib");
            assertTrue(pinnedHashes.keySet().stream().anyMatch(p -> name(p).endsWith(".rmeta")), "an rmeta");
            assertTrue(pinnedHashes.keySet().stream().anyMatch(p -> name(p).endsWith(".so")), "a proc-macro");
            assertTrue(pinnedHashes.keySet().stream().anyMatch(p -> name(p).startsWith("build_script_build-")),
                    "a build script");
            assertTrue(pinnedHashes.keySet().stream().anyMatch(p -> name(p).startsWith("app-")), "a binary");

            workspace(ws, 2);   // every source changes, and with it every output
            cargoBuild(ws, incremental);

            for (PinnedOutput pin : pins) {
                Path output = pin.target();
                assertEquals(pinnedHashes.get(output), Sha256.of(pin.path()), "pinned bytes of " + output);
                assertTrue(pin.unchanged(), "pinned identity of " + output);
                assertNotEquals(pinnedHashes.get(output), Sha256.of(output), "the rebuild wrote a new " + output);
                pin.close();
            }
        }
    }

    /** Every output a cached call stores as it is (not the .d files), of the workspace's crates. */
    private static List<Path> outputs(Path ws) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ws.resolve("target/debug"))) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                String n = name(p);
                boolean deps = p.getParent().getFileName().toString().equals("deps");
                boolean ours = n.matches("(lib)?(pinlib|pinmacro|app|build_script_build)-[0-9a-f]+(\\.rlib|\\.rmeta|\\.so)?");
                boolean buildScript = n.startsWith("build_script_build-");
                if (ours && (deps || buildScript)) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    private static String name(Path p) {
        return p.getFileName().toString();
    }

    /** A lib with a build script, a proc-macro and a binary using both; {@code version} changes every output. */
    private static Path workspace(Path dir, int version) throws IOException {
        write(dir.resolve("Cargo.toml"), "[workspace]\nmembers = [\"pinlib\", \"pinmacro\", \"app\"]\nresolver = \"2\"\n");
        write(dir.resolve("pinmacro/Cargo.toml"),
                "[package]\nname = \"pinmacro\"\nversion = \"0.1.0\"\nedition = \"2021\"\n[lib]\nproc-macro = true\n");
        write(dir.resolve("pinmacro/src/lib.rs"), "use proc_macro::TokenStream;\n#[proc_macro]\n"
                + "pub fn version(_: TokenStream) -> TokenStream { \"" + version + "u32\".parse().unwrap() }\n"
                + "fn unused_" + version + "() {}\n");
        write(dir.resolve("pinlib/Cargo.toml"), "[package]\nname = \"pinlib\"\nversion = \"0.1.0\"\n"
                + "edition = \"2021\"\nbuild = \"build.rs\"\n[dependencies]\npinmacro = { path = \"../pinmacro\" }\n");
        write(dir.resolve("pinlib/build.rs"), "fn main() {\n    let out = std::env::var(\"OUT_DIR\").unwrap();\n"
                + "    std::fs::write(format!(\"{}/gen.rs\", out), \"pub const GEN: u32 = " + version + ";\").unwrap();\n"
                + "    println!(\"cargo:rerun-if-changed=build.rs\");\n}\n");
        write(dir.resolve("pinlib/src/lib.rs"), "include!(concat!(env!(\"OUT_DIR\"), \"/gen.rs\"));\n"
                + "pub fn answer() -> u32 { pinmacro::version!() + GEN }\n"
                + "pub fn api_" + version + "() -> u32 { " + version + " }\n");
        write(dir.resolve("app/Cargo.toml"), "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n"
                + "[dependencies]\npinlib = { path = \"../pinlib\" }\n");
        write(dir.resolve("app/src/main.rs"), "fn main() { println!(\"{} {}\", pinlib::answer(), " + version + "); }\n");
        return dir;
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static void cargoBuild(Path ws, boolean incremental) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("cargo", "build", "--offline", "-q").directory(ws.toFile())
                .redirectErrorStream(true);
        pb.environment().remove("RUSTC_WRAPPER");
        pb.environment().remove("RUSTC_WORKSPACE_WRAPPER");
        pb.environment().put("CARGO_INCREMENTAL", incremental ? "1" : "0");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "cargo build failed: " + out);
    }
}
