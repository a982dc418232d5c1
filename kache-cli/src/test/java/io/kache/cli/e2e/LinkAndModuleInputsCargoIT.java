package io.kache.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.testkit.SpyRustc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs that are not in rustc's dep-info, with real cargo: native code a build script compiles with
 * {@code cc}/{@code ar} and that reaches the program in the three ways cargo offers, and a module file
 * whose mere existence makes {@code mod util;} ambiguous. After each change a kache build must do
 * what a plain cargo build of the same tree does. And remembered input sets are kept most recently
 * used first.
 */
class LinkAndModuleInputsCargoIT {

    @TempDir
    Path tmp;

    private Path kache;
    private SpyRustc spy;
    private Map<String, String> env;

    @BeforeEach
    void setUp() throws Exception {
        kache = KacheLauncher.create(Files.createDirectories(tmp.resolve("bin")));
        spy = SpyRustc.create(tmp.resolve("spy"));
        env = new HashMap<>();
        env.put("RUSTC_WRAPPER", kache.toString());
        env.put("RUSTC", spy.path().toString());
        env.put("KACHE_CACHE_DIR", tmp.resolve("store").toString());
        env.put("XDG_CONFIG_HOME", Files.createDirectories(tmp.resolve("xdg")).toString());
        env.put("CARGO_TERM_COLOR", "never");
        env.put("CARGO_NET_OFFLINE", "true");
    }

    /**
     * {@code sl}: {@code #[link(name = "slc", kind = "static")]} in source, found through {@code -L}
     * and bundled into the rlib. {@code nb}: {@code cargo:rustc-link-lib=static:-bundle=nbc}, linked
     * by the final binary, whose call names only the {@code -L} directory. {@code la}: an object file
     * given as {@code cargo:rustc-link-arg}.
     */
    @Test
    void aChangedCLibraryReachesTheProgramInEachShape() throws Exception {
        Path ws = nativeWorkspace(tmp.resolve("natives"));
        cargo(ws, "build").assertOk("first build");
        List<String> seen = new ArrayList<>();
        seen.add(run(ws));
        for (String[] change : new String[][] {{"sl/c/sl.c", "1", "11"}, {"nb/c/nb.c", "2", "22"},
                {"app/c/la.c", "3", "33"}}) {
            Path c = ws.resolve(change[0]);
            Files.writeString(c, Files.readString(c).replace("return " + change[1] + ";", "return " + change[2] + ";"));
            cargo(ws, "build").assertOk("build after changing " + change[0]);
            seen.add(run(ws));
        }
        assertEquals(List.of("sl=1 nb=2 la=3", "sl=11 nb=2 la=3", "sl=11 nb=22 la=3", "sl=11 nb=22 la=33"), seen,
                "each change to the C code shows in the program, as with plain cargo");

        // The keys stay exact, not merely different: the same tree from clean (the build scripts
        // write the same bytes again, with new times) is served from the cache.
        spy.takeCompiled();
        cargo(ws, "clean").assertOk("clean");
        cargo(ws, "build").assertOk("build after clean");
        assertEquals("sl=11 nb=22 la=33", run(ws));
        assertEquals(List.of(), spy.takeCompiled(), "the unchanged tree is served from the cache");
    }

    /** {@code util/mod.rs} beside {@code util.rs}: plain cargo fails with E0761, so must a kache build. */
    @Test
    void aSecondModuleFileMakesTheBuildFailAsWithPlainCargo() throws Exception {
        Path ws = tmp.resolve("modules");
        write(ws.resolve("Cargo.toml"), "[package]\nname = \"modapp\"\nversion = \"0.1.0\"\nedition = \"2021\"\n");
        write(ws.resolve("src/main.rs"), "mod util;\nmod nested;\nfn main() {\n"
                + "    println!(\"{} {}\", util::name(), nested::inner::name());\n}\n");
        write(ws.resolve("src/util.rs"), "pub fn name() -> &'static str { \"util.rs\" }\n");
        write(ws.resolve("src/nested/mod.rs"), "pub mod inner;\n");
        write(ws.resolve("src/nested/inner.rs"), "pub fn name() -> &'static str { \"inner.rs\" }\n");
        cargo(ws, "build").assertOk("first build");
        assertEquals("util.rs inner.rs\n", CargoRun.run(ws, Map.of(), ws.resolve("target/debug/modapp").toString())
                .assertOk("modapp").stdout());

        for (String[] extra : new String[][] {{"src/util/mod.rs", "E0761"}, {"src/nested.rs", "E0761"},
                {"src/nested/inner/mod.rs", "E0761"}}) {
            write(ws.resolve(extra[0]), "pub fn name() -> &'static str { \"other\" }\n");
            cargo(ws, "clean").assertOk("clean");
            CargoRun.Result r = cargo(ws, "build");
            assertNotEquals(0, r.exitCode(), "with " + extra[0] + " the tree does not compile:\n" + r.stderr());
            assertTrue(r.stderr().contains(extra[1]), r.stderr());
            Files.delete(ws.resolve(extra[0]));
        }

        cargo(ws, "clean").assertOk("clean");
        spy.takeCompiled();
        cargo(ws, "build").assertOk("build without the extra files");
        assertEquals(List.of(), spy.takeCompiled(), "the original tree is still served from the cache");
    }

    /**
     * A proc macro that embeds every file of a directory (the include_dir!/rust-embed pattern: it lists
     * the directory and emits an include_bytes! per file): a file added there reaches the program,
     * as with plain cargo. The dep-info names the files found, never the listing, and the entry built
     * without the new file was served after cargo clean (found by review).
     */
    @Test
    void aFileAddedToAnEmbeddedDirectoryReachesTheProgram() throws Exception {
        Path ws = tmp.resolve("embed");
        write(ws.resolve("Cargo.toml"), "[workspace]\nmembers = [\"emb\", \"app\"]\nresolver = \"2\"\n");
        write(ws.resolve("emb/Cargo.toml"), SmallWorkspace.manifest("emb", "[lib]\nproc-macro = true\n"));
        write(ws.resolve("emb/src/lib.rs"), """
                use proc_macro::TokenStream;
                #[proc_macro]
                pub fn embed_dir(input: TokenStream) -> TokenStream {
                    let rel = input.to_string().trim_matches('"').to_string();
                    let dir = std::path::Path::new(&std::env::var("CARGO_MANIFEST_DIR").unwrap()).join(rel);
                    let mut names: Vec<String> = std::fs::read_dir(&dir).unwrap()
                        .map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
                    names.sort();
                    let items: String = names.iter().map(|n| format!("({:?}, include_bytes!({:?}) as &[u8]),", n,
                        dir.join(n).display().to_string())).collect();
                    format!("&[{items}]").parse().unwrap()
                }
                """);
        write(ws.resolve("app/Cargo.toml"), SmallWorkspace.manifest("app", "[dependencies]\nemb = { path = \"../emb\" }\n"));
        write(ws.resolve("app/src/main.rs"), "static A: &[(&str, &[u8])] = emb::embed_dir!(\"assets\");\n"
                + "fn main() { for (n, _) in A { print!(\"{n} \"); } println!(\"({} files)\", A.len()); }\n");
        write(ws.resolve("app/assets/one.txt"), "one\n");
        cargo(ws, "build").assertOk("first build");
        cargo(ws, "clean").assertOk("clean");
        cargo(ws, "build").assertOk("from the cache");
        assertEquals("one.txt (1 files)", run(ws));

        write(ws.resolve("app/assets/two.txt"), "two\n");
        cargo(ws, "clean").assertOk("clean");
        spy.takeCompiled();
        cargo(ws, "build").assertOk("with a new asset");
        assertEquals("one.txt two.txt (2 files)", run(ws), "the new file is embedded, as plain cargo embeds it");
        assertEquals(List.of("app"), spy.takeCompiled(), "the app compiles again; the proc macro is served");
    }

    /**
     * A crate built in more variants than a call key remembers input sets: the variant in use keeps
     * its place (most recently used), so switching back to it after newer variants is still a hit.
     */
    @Test
    void theVariantInUseOutlivesNewerOnes() throws Exception {
        Path ws = tmp.resolve("variants");
        write(ws.resolve("Cargo.toml"), "[package]\nname = \"variants\"\nversion = \"0.1.0\"\nedition = \"2021\"\n");
        write(ws.resolve("src/main.rs"), "fn main() { println!(\"{}\", option_env!(\"VARIANT\").unwrap_or(\"none\")); }\n");
        List<String> variants = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            variants.add("v" + i);
        }
        variants.addAll(List.of("main", "v8", "main"));
        cargo(ws, Map.of("VARIANT", "main"), "build").assertOk("first build");
        for (String v : variants) {
            spy.takeCompiled();
            cargo(ws, Map.of("VARIANT", v), "build").assertOk("build of " + v);
        }
        assertEquals(List.of(), spy.takeCompiled(), "the variant in use is still remembered after eight others");
        assertEquals("main", CargoRun.run(ws, Map.of(), ws.resolve("target/debug/variants").toString())
                .assertOk("variants").stdout().trim());
    }

    private static Path nativeWorkspace(Path ws) throws IOException {
        write(ws.resolve("Cargo.toml"), "[workspace]\nmembers = [\"sl\", \"nb\", \"app\"]\nresolver = \"2\"\n");
        // sl: #[link] in source, the build script only adds the search directory.
        write(ws.resolve("sl/Cargo.toml"), pkg("sl", ""));
        write(ws.resolve("sl/c/sl.c"), "int sl_value(void) { return 1; }\n");
        write(ws.resolve("sl/build.rs"), buildScript("sl", "libslc.a",
                "println!(\"cargo:rustc-link-search=native={}\", out.display());"));
        write(ws.resolve("sl/src/lib.rs"), "#[link(name = \"slc\", kind = \"static\")]\n"
                + "extern \"C\" { fn sl_value() -> i32; }\npub fn value() -> i32 { unsafe { sl_value() } }\n");
        // nb: a static library not bundled into the rlib, so the final link finds it through -L.
        write(ws.resolve("nb/Cargo.toml"), pkg("nb", ""));
        write(ws.resolve("nb/c/nb.c"), "int nb_value(void) { return 2; }\n");
        write(ws.resolve("nb/build.rs"), buildScript("nb", "libnbc.a",
                "println!(\"cargo:rustc-link-search=native={}\", out.display());\n"
                        + "    println!(\"cargo:rustc-link-lib=static:-bundle=nbc\");"));
        write(ws.resolve("nb/src/lib.rs"), "extern \"C\" { fn nb_value() -> i32; }\n"
                + "pub fn value() -> i32 { unsafe { nb_value() } }\n");
        // app: an object file handed to the linker by path.
        write(ws.resolve("app/Cargo.toml"), pkg("app", "sl = { path = \"../sl\" }\nnb = { path = \"../nb\" }\n"));
        write(ws.resolve("app/c/la.c"), "int la_value(void) { return 3; }\n");
        write(ws.resolve("app/build.rs"), buildScript("la", null,
                "println!(\"cargo:rustc-link-arg={}\", obj.display());"));
        write(ws.resolve("app/src/main.rs"), "extern \"C\" { fn la_value() -> i32; }\nfn main() {\n"
                + "    println!(\"sl={} nb={} la={}\", sl::value(), nb::value(), unsafe { la_value() });\n}\n");
        return ws;
    }

    private static String pkg(String name, String deps) {
        return "[package]\nname = \"" + name + "\"\nversion = \"0.1.0\"\nedition = \"2021\"\nbuild = \"build.rs\"\n\n"
                + "[dependencies]\n" + deps;
    }

    /** A build script that compiles {@code c/NAME.c} with {@code cc} (and archives it with {@code ar}). */
    private static String buildScript(String name, String archive, String emit) {
        return "use std::path::PathBuf;\nuse std::process::Command;\n\n"
                + "fn run(c: &mut Command) { assert!(c.status().expect(\"spawn\").success(), \"{:?}\", c); }\n\n"
                + "fn main() {\n"
                + "    println!(\"cargo:rerun-if-changed=c/" + name + ".c\");\n"
                + "    let out = PathBuf::from(std::env::var(\"OUT_DIR\").unwrap());\n"
                + "    let obj = out.join(\"" + name + ".o\");\n"
                + "    run(Command::new(\"cc\").args([\"-c\", \"-fPIC\", \"c/" + name + ".c\", \"-o\"]).arg(&obj));\n"
                + (archive == null ? "" : "    let lib = out.join(\"" + archive + "\");\n"
                        + "    let _ = std::fs::remove_file(&lib);\n"
                        + "    run(Command::new(\"ar\").arg(\"crsD\").arg(&lib).arg(&obj));\n")
                + "    " + emit + "\n}\n";
    }

    private String run(Path ws) throws Exception {
        return CargoRun.run(ws, Map.of(), ws.resolve("target/debug/app").toString()).assertOk("app").stdout().trim();
    }

    private CargoRun.Result cargo(Path ws, String... args) throws Exception {
        return cargo(ws, Map.of(), args);
    }

    private CargoRun.Result cargo(Path ws, Map<String, String> extraEnv, String... args) throws Exception {
        Map<String, String> all = new HashMap<>(env);
        all.putAll(extraEnv);
        return CargoRun.cargo(ws, all, args);
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
