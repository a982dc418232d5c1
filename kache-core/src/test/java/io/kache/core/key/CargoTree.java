package io.kache.core.key;

import io.kache.core.rustc.ParsedCall;
import io.kache.core.rustc.RustcArgsParser;
import io.kache.core.rustc.RustcCall;
import io.kache.core.rustc.SentinelRoots;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A checkout of a small cargo workspace as rustc sees it mid-build: sources, a registry crate under
 * the cargo home, a target dir with {@code CACHEDIR.TAG}, dependency artifacts and build-script
 * output. Two trees created from the same layout constants hold byte-identical files at different
 * absolute paths, so keys computed in both must agree.
 *
 * <p>Test command lines use placeholders ({@code {ws}}, {@code {target}}, {@code {cargo}},
 * {@code {home}}) that {@link #render} replaces with this tree's directories.
 */
final class CargoTree {

    static final String TOOLCHAIN = "rustc 1.95.0 (abcdef012 2026-01-01)\nbinary: rustc\n"
            + "commit-hash: abcdef0123456789\nhost: x86_64-unknown-linux-gnu\nrelease: 1.95.0\nLLVM version: 20.1.0\n";
    static final String REGISTRY_SRC = "{cargo}/registry/src/index.crates.io-6f17d22bba15001f/serde_json-1.0.87/src/lib.rs";
    static final String OUT_DIR = "{target}/debug/build/core-lib-0123456789abcdef/out";
    static final String DEPS = "{target}/debug/deps";
    static final Map<String, String> EXTERN_FILES = Map.of(
            "serde", DEPS + "/libserde-1f2e3d4c5b6a7980.rmeta",
            "itoa", DEPS + "/libitoa-a1b2c3d4e5f60718.rmeta",
            "ryu", DEPS + "/libryu-0f1e2d3c4b5a6978.rlib",
            "macros", DEPS + "/libmacros-9988776655443322.so");
    /** Every file of a tree (placeholder path to content); identical in every tree. */
    static final Map<String, String> FILES = files();

    /** Where the directories of a tree are, relative to its root. */
    enum Layout {
        /** Workspace inside HOME, target inside the workspace, CARGO_HOME defaulted from HOME. */
        WS_UNDER_HOME,
        /** Workspace, target dir (CARGO_TARGET_DIR), CARGO_HOME, TMPDIR and KACHE_BASE_DIR all apart. */
        ALL_APART
    }

    final Path root;
    final Path ws;
    final Path target;
    final Path home;
    final Path cargoHome;
    final Map<String, String> baseEnv;

    private CargoTree(Path root, Layout layout) {
        this.root = root;
        this.home = root.resolve(layout == Layout.WS_UNDER_HOME ? "home/dev" : "users/someone");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOME", home.toString());
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("CARGO", "/usr/bin/cargo");
        if (layout == Layout.WS_UNDER_HOME) {
            this.ws = home.resolve("src/project");
            this.target = ws.resolve("target");
            this.cargoHome = home.resolve(".cargo");
        } else {
            this.ws = root.resolve("checkouts/elsewhere/project-2");
            this.target = root.resolve("shared-target");
            this.cargoHome = root.resolve("opt/cargo-home");
            env.put("CARGO_HOME", cargoHome.toString());
            env.put("TMPDIR", root.resolve("scratch").toString());
            env.put("KACHE_BASE_DIR", root.resolve("kache-base").toString());
        }
        this.baseEnv = Map.copyOf(env);
    }

    static CargoTree create(Path root, Layout layout) throws IOException {
        CargoTree tree = new CargoTree(root, layout);
        for (Map.Entry<String, String> f : FILES.entrySet()) {
            tree.write(f.getKey(), f.getValue());
        }
        Files.createDirectories(Path.of(tree.render("{ws}/native")));
        return tree;
    }

    String render(String text) {
        return text.replace("{ws}", ws.toString()).replace("{target}", target.toString())
                .replace("{cargo}", cargoHome.toString()).replace("{home}", home.toString());
    }

    List<String> render(List<String> tokens) {
        return tokens.stream().map(this::render).toList();
    }

    /** The file at a placeholder path; a relative path is relative to the workspace. */
    Path path(String placeholderPath) {
        return ws.resolve(render(placeholderPath));
    }

    void write(String placeholderPath, String content) throws IOException {
        Path p = path(placeholderPath);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
    }

    String read(String placeholderPath) throws IOException {
        return Files.readString(path(placeholderPath), StandardCharsets.UTF_8);
    }

    /** Parses placeholder tokens as cargo would send them from this workspace; fails on a passthrough. */
    RustcCall parse(List<String> placeholderArgs) {
        ParsedCall parsed = RustcArgsParser.parse(Path.of(render("{home}/.rustup/toolchains/stable/bin/rustc")),
                render(placeholderArgs), ws);
        if (parsed instanceof RustcCall call) {
            return call;
        }
        throw new AssertionError("expected a cacheable call, got " + parsed + " for " + placeholderArgs);
    }

    /** This tree's environment plus {@code extra} (placeholders rendered). */
    Map<String, String> env(Map<String, String> extra) {
        Map<String, String> env = new LinkedHashMap<>(baseEnv);
        extra.forEach((k, v) -> env.put(k, render(v)));
        return env;
    }

    KeyContext context(RustcCall call, Map<String, String> env, String toolchain, String salt,
                       Optional<String> linker) {
        return new KeyContext(toolchain, SentinelRoots.forCall(call, env, ws), env, ws, salt, linker,
                Sha256Files.HASHER);
    }

    KeyContext context(RustcCall call) {
        return context(call, baseEnv, TOOLCHAIN, "", Optional.empty());
    }

    private static Map<String, String> files() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("Cargo.toml", "[workspace]\nmembers = [\"core-lib\", \"app\"]\n");
        f.put("core-lib/src/lib.rs", "pub mod util;\ninclude!(concat!(env!(\"OUT_DIR\"), \"/generated.rs\"));\n");
        f.put("core-lib/src/util.rs", "pub fn tag() -> &'static str { env!(\"CORE_BUILD_TAG\") }\n");
        f.put("core-lib/src/other.rs", "pub fn tag() -> &'static str { env!(\"CORE_BUILD_TAG\") }\n");
        f.put("core-lib/src/banner.txt", "hello from core-lib\n");
        f.put("core-lib/build.rs", "fn main() { println!(\"cargo:rerun-if-changed=build.rs\"); }\n");
        f.put("app/src/main.rs", "fn main() { println!(\"{}\", core_lib::util::tag()); }\n");
        f.put("specs/custom.json", "{\"llvm-target\": \"x86_64-unknown-none\", \"arch\": \"x86_64\"}\n");
        f.put(REGISTRY_SRC, "//! serde_json\npub fn to_string() {}\n");
        f.put("{target}/CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55\n");
        f.put(OUT_DIR + "/generated.rs", "pub const GENERATED: u32 = 30;\n");
        EXTERN_FILES.forEach((name, path) -> f.put(path, "artifact of " + name + "\n"));
        return Map.copyOf(f);
    }
}
