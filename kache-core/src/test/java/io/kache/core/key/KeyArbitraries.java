package io.kache.core.key;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generators for realistic cargo-issued rustc calls and their surroundings. */
final class KeyArbitraries {

    static final List<String> TOOLCHAINS = List.of(CargoTree.TOOLCHAIN,
            CargoTree.TOOLCHAIN.replace("1.95.0", "1.96.0"));
    static final List<String> EDITIONS = List.of("2015", "2018", "2021", "2024");
    static final List<String> SOURCES = List.of("core-lib/src/lib.rs", "core-lib/build.rs", "app/src/main.rs",
            CargoTree.REGISTRY_SRC);
    static final List<String> CFGS = List.of("feature=\"default\"", "feature=\"std\"", "feature=\"alloc\"",
            "docsrs", "tokio_unstable");
    static final List<String> CHECK_CFGS = List.of("cfg(docsrs,test)",
            "cfg(feature, values(\"default\", \"std\", \"alloc\"))", "cfg(tokio_unstable)");
    static final List<String> EXTERNS = List.of("serde", "itoa", "ryu", "macros", "proc_macro");
    /** Codegen option name to the values it may take; never incremental or linker. */
    static final Map<String, List<String>> CODEGEN = Map.ofEntries(
            Map.entry("embed-bitcode", List.of("no", "yes")),
            Map.entry("debuginfo", List.of("2", "0", "1")),
            Map.entry("opt-level", List.of("0", "3", "s")),
            Map.entry("metadata", List.of("5c65dc16be24ad12", "0123456789abcdef")),
            Map.entry("extra-filename", List.of("-aa3a86d02ac9e920", "-0011223344556677")),
            Map.entry("panic", List.of("unwind", "abort")),
            Map.entry("strip", List.of("none", "debuginfo", "symbols")),
            Map.entry("codegen-units", List.of("256", "16", "1")),
            Map.entry("lto", List.of("off", "thin", "fat")),
            Map.entry("overflow-checks", List.of("on", "off")),
            Map.entry("target-cpu", List.of("generic", "native")),
            Map.entry("link-arg", List.of("-Wl,--as-needed", "-fuse-ld=lld")),
            Map.entry("debug-assertions", List.of("on", "off")));
    static final List<String> CODEGEN_KEYS = CODEGEN.keySet().stream().sorted().toList();
    static final List<List<String>> EXTRA = List.of(
            List.of("-L", "native={ws}/native"),
            List.of("-L", CargoTree.OUT_DIR),
            List.of("-l", "static=foo"),
            List.of("-l", "dylib=ssl"),
            List.of("-Z", "share-generics=y"),
            List.of("-Zunstable-options"));
    static final List<Optional<String>> TARGETS = List.of(Optional.empty(),
            Optional.of("x86_64-unknown-linux-gnu"), Optional.of("aarch64-unknown-linux-gnu"),
            Optional.of("{ws}/specs/custom.json"));
    /** Keyed environment (name to possible values) and noise that must not matter. */
    static final Map<String, List<String>> ENV = Map.of(
            "RUSTFLAGS", List.of("-C target-cpu=native", "-L native={ws}/native --cfg tokio_unstable"),
            "CARGO_ENCODED_RUSTFLAGS", List.of("-Ctarget-cpu=native", "-L\u001f{ws}/native",
                    "--cfg\u001ftokio_unstable"),
            "CARGO_CFG_TARGET_OS", List.of("linux", "none"),
            "CARGO_CFG_TARGET_FEATURE", List.of("fxsr,sse,sse2", "fxsr,sse,sse2,avx2"),
            "RUSTC_BOOTSTRAP", List.of("1"),
            "TERM", List.of("xterm-256color"),
            "CARGO_MAKEFLAGS", List.of("-j --jobserver-fds=3,4 --jobserver-auth=3,4"));

    private KeyArbitraries() {
    }

    static Arbitrary<CallSpec> callSpecs() {
        Arbitrary<List<String>> types = Arbitraries.of("lib", "rlib", "bin", "proc-macro", "cdylib", "dylib",
                "staticlib").list().uniqueElements().ofMinSize(1).ofMaxSize(2);
        Arbitrary<List<String>> emit = Arbitraries.of(List.of("dep-info", "metadata", "link"),
                List.of("dep-info", "link"), List.of("dep-info", "metadata"), List.of("metadata"));
        Arbitrary<CallSpec> head = Combinators.combine(Arbitraries.of("serde_json", "core_lib", "app",
                        "build_script_build"), types, emit, Arbitraries.of(EDITIONS), Arbitraries.of(SOURCES),
                Arbitraries.of(false, false, false, true), Arbitraries.of(TARGETS))
                .as((name, t, e, ed, src, test, target) -> new CallSpec(name, t, e, ed, src, test, target,
                        List.of(), List.of(), List.of(), List.of(), List.of()));
        Arbitrary<List<String>> cfgs = Arbitraries.of(CFGS).list().uniqueElements().ofMaxSize(4);
        Arbitrary<List<String>> checkCfgs = Arbitraries.of(CHECK_CFGS).list().uniqueElements().ofMaxSize(3);
        Arbitrary<List<String>> externs = Arbitraries.of(EXTERNS).list().uniqueElements().ofMaxSize(5);
        Arbitrary<List<String>> codegen = codegen();
        Arbitrary<List<List<String>>> extra = Arbitraries.of(EXTRA).list().uniqueElements().ofMaxSize(3);
        return Combinators.combine(head, cfgs, checkCfgs, externs, codegen, extra)
                .as((h, c, cc, x, cg, ex) -> h.withCfgs(c).withExterns(x).withCodegen(cg).withExtra(ex)
                        .withCheckCfgs(cc));
    }

    private static Arbitrary<List<String>> codegen() {
        return Arbitraries.of(CODEGEN_KEYS).list().uniqueElements().ofMaxSize(6).flatMap(keys -> {
            List<Arbitrary<String>> opts = new ArrayList<>();
            for (String k : keys) {
                opts.add(Arbitraries.of(CODEGEN.get(k)).map(v -> k + "=" + v));
            }
            return Combinators.combine(opts).as(List::copyOf);
        });
    }

    static Arbitrary<EnvSpec> envSpecs() {
        List<String> names = ENV.keySet().stream().sorted().toList();
        Arbitrary<Map<String, String>> env = Arbitraries.of(names).list().uniqueElements().flatMap(chosen -> {
            List<Arbitrary<Map.Entry<String, String>>> entries = new ArrayList<>();
            for (String n : chosen) {
                entries.add(Arbitraries.of(ENV.get(n)).map(v -> Map.entry(n, v)));
            }
            return Combinators.combine(entries).as(l -> Map.ofEntries(l.toArray(Map.Entry[]::new)));
        });
        return Combinators.combine(Arbitraries.of(TOOLCHAINS), Arbitraries.of("", "team-a"), env,
                        Arbitraries.of(Optional.<String>empty(), Optional.of("cc:0a1b2c"), Optional.of("ld.lld:3d4e5f")))
                .as(EnvSpec::new);
    }

    /** Flag groups that only say how diagnostics are rendered, in their various spellings. */
    static Arbitrary<List<List<String>>> renderings() {
        return Arbitraries.of(
                List.of("--error-format=human"), List.of("--error-format", "short"),
                List.of("--json=diagnostic-short"), List.of("--json", "artifacts"),
                List.of("--color=always"), List.of("--color", "never"),
                List.of("--diagnostic-width=120"), List.of("--diagnostic-width", "80"))
                .list().ofMinSize(1).ofMaxSize(6);
    }

    /** Lint-level flags in their various spellings, each of another meaning: they decide which diagnostics exist and whether a compile fails. */
    static final List<List<String>> LINT_LEVELS = List.of(
            List.of("--cap-lints=warn"), List.of("--cap-lints", "forbid"),
            List.of("-Awarnings"), List.of("-A", "unused"), List.of("-Wunused-crate-dependencies"),
            List.of("-W", "missing-docs"), List.of("-Dwarnings"), List.of("-D", "unsafe-code"),
            List.of("-Fmissing-docs"), List.of("-F", "unsafe-code"),
            List.of("--allow=dead_code"), List.of("--allow", "unused"), List.of("--warn=unused"),
            List.of("--warn", "rust-2018-idioms"), List.of("--deny=warnings"), List.of("--deny", "missing_docs"),
            List.of("--forbid=unsafe_code"), List.of("--forbid", "missing_docs"),
            List.of("--force-warn=deprecated"), List.of("--force-warn", "unused"));

    /** {@code -C incremental} in all four spellings. */
    static Arbitrary<List<String>> incremental() {
        String dir = "{target}/debug/incremental/core_lib-1x2y3z";
        return Arbitraries.of(List.of("-Cincremental=" + dir), List.of("-C", "incremental=" + dir),
                List.of("--codegen=incremental=" + dir), List.of("--codegen", "incremental=" + dir));
    }
}
