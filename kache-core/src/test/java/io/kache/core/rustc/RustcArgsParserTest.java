package io.kache.core.rustc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RustcArgsParserTest {

    static final Path RUSTC = Path.of("/home/dev/.rustup/toolchains/stable-x86_64-unknown-linux-gnu/bin/rustc");

    @TempDir
    Path ws;
    Path cargoHome;
    Path deps;

    @BeforeEach
    void setUp() {
        cargoHome = ws.resolveSibling("cargo-home");
        deps = ws.resolve("target/debug/deps");
    }

    // ---- passthroughs -------------------------------------------------------------------------

    @Test
    void versionProbe() {
        assertPassthrough("-vV is not a compile", "-vV");
        assertPassthrough("-V is not a compile", "-V");
        assertPassthrough("--version is not a compile", "--version");
    }

    @Test
    void printRequests() {
        assertPassthrough("--print is not a compile", "--print=sysroot");
        assertPassthrough("--print is not a compile", "--print", "cfg");
        assertPassthrough("--print is not a compile",
                "--crate-name", "x", "src/lib.rs", "--emit=link", "--out-dir", "out", "--print=file-names");
    }

    @Test
    void targetInfoProbeReadingStdin() {
        ParsedCall parsed = parse(CargoCommandLines.TARGET_INFO_PROBE);
        assertInstanceOf(Passthrough.class, parsed);
        assertEquals(new Passthrough("source from stdin"), parsed);
    }

    @Test
    void noCrateName() {
        assertPassthrough("no --crate-name", "src/lib.rs", "--crate-type", "lib", "--emit=link", "--out-dir", "out");
    }

    @Test
    void otherMissingEssentials() {
        assertPassthrough("no source file", "--crate-name", "x", "--emit=link", "--out-dir", "out");
        assertPassthrough("no --out-dir", "--crate-name", "x", "src/lib.rs", "--emit=link");
        assertPassthrough("no --emit", "--crate-name", "x", "src/lib.rs", "--out-dir", "out");
        assertPassthrough("--out-dir without a value", "--crate-name", "x", "src/lib.rs", "--emit=link", "--out-dir");
    }

    /** anyhow's and thiserror's build-script probes are meant to fail; they must reach rustc untouched. */
    @Test
    void buildScriptFeatureProbe() {
        assertPassthrough("no --out-dir", "--crate-name", "anyhow_build", "--emit=metadata", "probe.rs");
    }

    @Test
    void argfile() {
        assertPassthrough("@argfile", "@/tmp/rustc-args.txt");
        assertPassthrough("@argfile", "--crate-name", "x", "@args", "--emit=link", "--out-dir", "out");
    }

    @Test
    void prettyPrinting() {
        assertPassthrough("--unpretty is not a compile",
                "--crate-name", "x", "src/lib.rs", "--emit=link", "--out-dir", "out", "--unpretty=expanded");
        assertPassthrough("--pretty is not a compile",
                "--crate-name", "x", "src/lib.rs", "--pretty", "normal", "--emit=link", "--out-dir", "out");
    }

    @Test
    void emitWithExplicitPath() {
        assertPassthrough("--emit with an explicit path",
                "--crate-name", "x", "src/lib.rs", "--emit=dep-info=/tmp/x.d", "--out-dir", "out");
        assertPassthrough("--emit with an explicit path",
                "--crate-name", "x", "src/lib.rs", "--emit", "dep-info,link=/tmp/libx.rlib", "--out-dir", "out");
    }

    @Test
    void emitKindsItDoesNotCache() {
        assertPassthrough("--emit=asm not modelled",
                "--crate-name", "x", "src/lib.rs", "--emit=asm", "--out-dir", "out");
        assertPassthrough("--emit=thin-link-bitcode not modelled",
                "--crate-name", "x", "src/lib.rs", "--emit=thin-link-bitcode", "--out-dir", "out");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--remap-path-prefix=/a=/b", "--frobnicate", "-v", "--sysroot=/opt/rust",
            "--crate-attr=feature(x)", "--env-set=A=b", "--verbose", "-x"})
    void unknownOrUnmodelledFlags(String flag) {
        List<String> args = new ArrayList<>(List.of("--crate-name", "x", "src/lib.rs", "--emit=link",
                "--out-dir", "out"));
        args.add(3, flag);
        ParsedCall parsed = RustcArgsParser.parse(RUSTC, args, ws);
        Passthrough p = assertInstanceOf(Passthrough.class, parsed);
        assertTrue(p.reason().startsWith("unmodelled argument "), p.reason());
    }

    @Test
    void unmodelledCrateType() {
        assertPassthrough("--crate-type sdylib not modelled",
                "--crate-name", "x", "src/lib.rs", "--crate-type", "sdylib", "--emit=link", "--out-dir", "out");
    }

    @Test
    void twoSources() {
        assertPassthrough("more than one source file",
                "--crate-name", "x", "src/lib.rs", "src/other.rs", "--emit=link", "--out-dir", "out");
    }

    @Test
    void explicitOutputFile() {
        assertPassthrough("-o not modelled",
                "--crate-name", "x", "src/lib.rs", "--emit=link", "--out-dir", "out", "-o", "out/x");
        assertPassthrough("-o not modelled", "--crate-name", "x", "src/lib.rs", "--emit=link", "-oout/x");
    }

    // ---- cacheable shapes ---------------------------------------------------------------------

    @Test
    void registryLibrary() {
        RustcCall call = call(CargoCommandLines.REGISTRY_LIB);
        assertEquals("serde_json", call.crateName());
        assertEquals(Set.of("lib"), call.crateTypes());
        assertEquals(List.of("dep-info", "link", "metadata"), List.copyOf(call.emitKinds()));
        assertEquals(cargoHome + "/registry/src/index.crates.io-6f17d22bba15001f/serde_json-1.0.87/src/lib.rs",
                call.source());
        assertEquals(deps, call.outDir());
        assertEquals("-aa3a86d02ac9e920", call.extraFilename());
        assertEquals(List.of(
                new RustcCall.Extern("itoa", Optional.of(deps + "/libitoa-a1b2c3d4e5f60718.rmeta")),
                new RustcCall.Extern("ryu", Optional.of(deps + "/libryu-0f1e2d3c4b5a6978.rmeta")),
                new RustcCall.Extern("serde", Optional.of(deps + "/libserde-1f2e3d4c5b6a7980.rmeta"))),
                call.externs());
        assertEquals(Optional.empty(), call.target());
        assertFalse(call.isTest());
        assertFalse(call.links());
        assertTrue(call.wantsArtifactNotifications());
        assertEquals(List.of("--error-format=json", CargoCommandLines.JSON), call.diagnosticArgs());
        assertEquals(List.of("-Cembed-bitcode=no", "-Cdebuginfo=2", "-Cmetadata=5c65dc16be24ad12",
                "-Cextra-filename=-aa3a86d02ac9e920", "-L=dependency=" + deps, "--cap-lints=allow", "--edition=2018",
                "--cfg=feature=\"default\"", "--cfg=feature=\"std\"", "--check-cfg=cfg(docsrs,test)",
                "--check-cfg=cfg(feature,values(\"default\",\"std\"))"), call.keyArgs());
        assertEquals(args(CargoCommandLines.REGISTRY_LIB), call.execArgs());
        assertEquals(RUSTC, call.rustc());
    }

    @Test
    void workspaceLibraryWithIncremental() {
        RustcCall call = call(CargoCommandLines.MEMBER_LIB);
        assertEquals("core_lib", call.crateName());
        assertEquals("core-lib/src/lib.rs", call.source());
        assertEquals(Set.of("lib"), call.crateTypes());
        assertEquals(List.of(new RustcCall.Extern("macros", Optional.of(deps + "/libmacros-9988776655443322.so"))),
                call.externs());
        assertEquals(withoutIncremental(args(CargoCommandLines.MEMBER_LIB)), call.execArgs());
        assertTrue(call.diagnosticArgs().contains("--diagnostic-width=143"));
    }

    /** Coverage instrumentation is told by the last -C instrument-coverage, on unless switched off. */
    @Test
    void coverageIsToldByTheLastInstrumentCoverage() {
        assertFalse(call(CargoCommandLines.MEMBER_LIB).instrumentsCoverage());
        assertTrue(call(CargoCommandLines.MEMBER_LIB + " -C instrument-coverage").instrumentsCoverage());
        assertTrue(call(CargoCommandLines.MEMBER_LIB + " -Cinstrument-coverage=all").instrumentsCoverage());
        assertTrue(call(CargoCommandLines.MEMBER_LIB + " -C instrument_coverage").instrumentsCoverage(),
                "rustc takes the underscore spelling too");
        assertFalse(call(CargoCommandLines.MEMBER_LIB + " -Cinstrument-coverage -C instrument-coverage=off")
                .instrumentsCoverage());
    }

    /** An rpath is told by the last -C rpath, and only for a call that links. */
    @Test
    void anRpathIsToldByTheLastRpathOfACallThatLinks() {
        String bin = "--crate-name app src/main.rs --crate-type bin --emit=dep-info,link --out-dir out";
        assertFalse(call(bin).setsRpath());
        assertTrue(call(bin + " -C rpath").setsRpath());
        assertTrue(call(bin + " -Crpath=yes").setsRpath());
        assertFalse(call(bin + " -C rpath -C rpath=no").setsRpath());
        assertFalse(call(CargoCommandLines.MEMBER_LIB + " -C rpath").setsRpath(), "an rlib links nothing");
    }

    /** The objects of -C linker-plugin-lto (an LTO build's dependencies) are bitcode; the last one counts. */
    @Test
    void bitcodeIsToldByTheLastLinkerPluginLto() {
        assertFalse(call(CargoCommandLines.MEMBER_LIB).writesBitcode());
        assertTrue(call(CargoCommandLines.MEMBER_LIB + " -C linker-plugin-lto").writesBitcode());
        assertTrue(call(CargoCommandLines.MEMBER_LIB + " -Clinker-plugin-lto=/usr/lib/LLVMgold.so").writesBitcode());
        assertFalse(call(CargoCommandLines.MEMBER_LIB + " -C linker-plugin-lto -C linker-plugin-lto=no").writesBitcode());
    }

    @Test
    void procMacro() {
        RustcCall call = call(CargoCommandLines.PROC_MACRO);
        assertEquals(Set.of("proc-macro"), call.crateTypes());
        assertEquals(List.of("dep-info", "link"), List.copyOf(call.emitKinds()));
        assertEquals("-9988776655443322", call.extraFilename());
        assertEquals(List.of(new RustcCall.Extern("proc_macro", Optional.empty())), call.externs());
        assertTrue(call.keyArgs().contains("-Cprefer-dynamic"));
        assertTrue(call.links());
        assertEquals(withoutIncremental(args(CargoCommandLines.PROC_MACRO)), call.execArgs());
    }

    @Test
    void buildScript() {
        RustcCall call = call(CargoCommandLines.BUILD_SCRIPT);
        assertEquals("build_script_build", call.crateName());
        assertEquals(Set.of("bin"), call.crateTypes());
        assertEquals(List.of("dep-info", "link"), List.copyOf(call.emitKinds()));
        assertEquals(ws.resolve("target/debug/build/core-lib-0123456789abcdef"), call.outDir());
        assertEquals("-0123456789abcdef", call.extraFilename());
        assertEquals(List.of(), call.externs());
        assertTrue(call.links());
        assertEquals(withoutIncremental(args(CargoCommandLines.BUILD_SCRIPT)), call.execArgs());
    }

    @Test
    void binary() {
        RustcCall call = call(CargoCommandLines.BIN);
        assertEquals("app", call.crateName());
        assertEquals(Set.of("bin"), call.crateTypes());
        assertEquals(List.of(new RustcCall.Extern("core_lib", Optional.of(deps + "/libcore_lib-55ee66ff77aa88bb.rlib"))),
                call.externs());
        assertTrue(call.links());
        assertFalse(call.isTest());
        assertEquals(withoutIncremental(args(CargoCommandLines.BIN)), call.execArgs());
    }

    @Test
    void testHarness() {
        RustcCall call = call(CargoCommandLines.TEST);
        assertTrue(call.isTest());
        assertEquals(Set.of("bin"), call.crateTypes());
        assertEquals(List.of("dep-info", "link"), List.copyOf(call.emitKinds()));
        assertEquals("-c0ffee00c0ffee00", call.extraFilename());
        assertTrue(call.keyArgs().contains("--test"));
        assertTrue(call.links());
        assertEquals(withoutIncremental(args(CargoCommandLines.TEST)), call.execArgs());
    }

    @Test
    void checkBuildOfALibraryDoesNotLink() {
        RustcCall call = call(CargoCommandLines.MEMBER_LIB.replace("--emit=dep-info,metadata,link",
                "--emit=dep-info,metadata"));
        assertEquals(List.of("dep-info", "metadata"), List.copyOf(call.emitKinds()));
        assertFalse(call.links());
    }

    @Test
    void targetAndLinkerAreRecordedAndTheLinkerStaysOutOfKeyArgs() {
        RustcCall call = call(CargoCommandLines.BIN + " --target x86_64-unknown-linux-musl -C linker=musl-gcc");
        assertEquals(Optional.of("x86_64-unknown-linux-musl"), call.target());
        assertEquals(Optional.of("musl-gcc"), call.linker());
        assertFalse(call.keyArgs().stream().anyMatch(a -> a.contains("linker")), call.keyArgs()::toString);
        assertEquals(withoutIncremental(args(CargoCommandLines.BIN + " --target x86_64-unknown-linux-musl "
                + "-C linker=musl-gcc")), call.execArgs());
    }

    @Test
    void relativeOutDirIsResolvedAgainstTheWorkingDirectory() {
        RustcCall call = assertInstanceOf(RustcCall.class, RustcArgsParser.parse(RUSTC,
                List.of("--crate-name", "x", "src/lib.rs", "--crate-type", "lib", "--emit=link", "--out-dir",
                        "target/./debug/../debug/deps"), ws));
        assertEquals(deps, call.outDir());
        assertEquals(Set.of("lib"), call.crateTypes());
        assertEquals("", call.extraFilename());
    }

    /**
     * Without --crate-type the crate's {@code #![crate_type]} attributes choose the files it links (a
     * staticlib's .a beside the rlib, left stale by a hit; found by a hunt): such a call runs
     * unchanged. cargo names no type for a harness = false bench or test, whose metadata-only call
     * ({@code cargo check --all-targets}) is still cached; --test builds the harness whatever the
     * attributes say.
     */
    @Test
    void aCallThatLetsTheCrateChooseWhatItLinksPassesThrough() {
        assertPassthrough("no --crate-type", "--crate-name", "x", "src/lib.rs", "--emit=link", "--out-dir", "out");
        RustcCall test = assertInstanceOf(RustcCall.class, RustcArgsParser.parse(RUSTC,
                List.of("--crate-name", "x", "src/lib.rs", "--test", "--emit=link", "--out-dir", "out"), ws));
        assertEquals(Set.of("bin"), test.crateTypes());
        RustcCall check = assertInstanceOf(RustcCall.class, RustcArgsParser.parse(RUSTC,
                List.of("--crate-name", "bench", "benches/bench.rs", "--emit=dep-info,metadata", "--out-dir", "out"), ws));
        assertEquals(Set.of("lib"), check.crateTypes());
    }

    /** Every spelling of -C incremental is removed from the exec args, and nothing else is. */
    @ParameterizedTest
    @ValueSource(strings = {"-Cincremental={ws}/target/debug/incremental",
            "-C incremental={ws}/target/debug/incremental",
            "--codegen=incremental={ws}/target/debug/incremental",
            "--codegen incremental={ws}/target/debug/incremental"})
    void incrementalIsStrippedInEverySpelling(String spelling) {
        String base = CargoCommandLines.REGISTRY_LIB;
        RustcCall plain = call(base);
        RustcCall incremental = call(base.replace(" --out-dir", " " + spelling + " --out-dir"));
        assertEquals(plain.execArgs(), incremental.execArgs());
        assertEquals(plain.keyArgs(), incremental.keyArgs());
        assertEquals(args(base), incremental.execArgs());
    }

    // ---- helpers ------------------------------------------------------------------------------

    private List<String> args(String line) {
        return CargoCommandLines.args(line, ws, cargoHome);
    }

    private ParsedCall parse(String line) {
        return RustcArgsParser.parse(RUSTC, args(line), ws);
    }

    /**
     * A link map, a linker's dependency file, a MIR dump, a self-profile: files a hit would not
     * recreate (missing, or stale from an earlier build), so such calls run unchanged.
     */
    @Test
    void callsThatWriteSideFilesPassThrough() {
        String[] bin = {"--crate-name", "app", "src/main.rs", "--crate-type", "bin", "--emit=dep-info,link", "--out-dir", "out"};
        String linkArg = "-C link-arg -Map writes a file kache does not restore";
        assertPassthrough(linkArg, with(bin, "-C", "link-arg=-Wl,-Map=out/app.map"));
        assertPassthrough(linkArg, with(bin, "-C", "link-arg=-Wl,-Map,out/app.map"));
        assertPassthrough(linkArg, with(bin, "-Clink-arg=-Map=out/app.map"));
        assertPassthrough("-C link-args --dependency-file writes a file kache does not restore",
                with(bin, "-C", "link-args=-Wl,--gc-sections  -Wl,--dependency-file=out/app.d"));
        assertPassthrough("-Z pre-link-arg -save-temps writes a file kache does not restore",
                with(bin, "-Z", "pre-link-arg=-save-temps"));
        assertPassthrough("-Z dump-mir writes files kache does not restore", with(bin, "-Zdump-mir=all"));
        assertPassthrough("-Z self-profile writes files kache does not restore", with(bin, "-Z", "self-profile"));
        assertPassthrough("-Z dump-dep-graph writes files kache does not restore", with(bin, "-Z", "dump_dep_graph"));
        assertPassthrough("-Z pre-link-arg -Map writes a file kache does not restore",
                with(bin, "-Z", "pre_link_arg=-Wl,-Map=out/app.map"));
        assertPassthrough("-Z pre-link-args -save-temps writes a file kache does not restore",
                with(bin, "-Zpre_link_args=-O -save-temps"));
        assertInstanceOf(RustcCall.class, RustcArgsParser.parse(RUSTC,
                List.of(with(bin, "-C", "link-arg=-Wl,--gc-sections", "-Z", "share-generics=yes")), ws),
                "other linker and unstable options are cached as before");
    }

    private static String[] with(String[] args, String... more) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private RustcCall call(String line) {
        return assertInstanceOf(RustcCall.class, parse(line), line);
    }

    /** A file rustc reads through an option, which the key would hold by name only: the call passes through. */
    @Test
    void optionsReadingFilesTheKeyHoldsByNameOnlyPassThrough() throws IOException {
        String lib = "--crate-name x src/lib.rs --crate-type lib --emit=link --out-dir out ";
        assertPassthrough("-C llvm-args with a response file kache does not key",
                (lib + "-C llvm-args=@/tmp/llvm-opts.txt").split(" "));
        List<String> twoTokens = new ArrayList<>(List.of(lib.split(" ")));
        twoTokens.addAll(List.of("-C", "llvm-args=-inline-threshold=50 @opts"));
        assertPassthrough("-C llvm-args with a response file kache does not key", twoTokens.toArray(String[]::new));
        assertPassthrough("-Z llvm-plugins reads files kache does not key", (lib + "-Zllvm-plugins=/p/plug.so").split(" "));
        assertPassthrough("-C llvm-args with a response file kache does not key",
                (lib + "-C llvm_args=@/tmp/llvm-opts.txt").split(" "));
        assertPassthrough("-Z sanitizer-dataflow-abilist reads files kache does not key",
                (lib + "-Z sanitizer-dataflow-abilist=abi.txt").split(" "));
        assertPassthrough("-Z codegen-backend given by path, which kache does not key",
                (lib + "-Zcodegen-backend=/opt/cg/librustc_codegen_cranelift.so").split(" "));
        assertPassthrough("-C dlltool names a program kache does not key", (lib + "-Cdlltool=/usr/bin/dlltool").split(" "));
        assertPassthrough("-Z remark-dir writes files kache does not restore", (lib + "-Zremark-dir=remarks").split(" "));
        assertPassthrough("-Z metrics-dir writes files kache does not restore", (lib + "-Z metrics-dir=m").split(" "));
        assertPassthrough("-Z print-codegen-stats-json writes files kache does not restore",
                (lib + "-Z print-codegen-stats-json=cs.json").split(" "));
        // Keyed as they are: LLVM options without a response file, a backend from the sysroot by name.
        // LLVM options that read a file by path (found by a hunt: an emptied CSV still served the old code).
        assertPassthrough("-C llvm-args names a file kache does not key",
                (lib + "-C llvm-args=-forceattrs-csv-path=attrs.csv").split(" "));
        assertPassthrough("-C llvm-args names a file kache does not key",
                (lib + "-C llvm-args=-basic-block-sections=/tmp/bbs.txt").split(" "));
        Files.writeString(ws.resolve("bbs"), "!foo\n");
        assertPassthrough("-C llvm-args names a file kache does not key",
                (lib + "-C llvm-args=-basic-block-sections=bbs").split(" "));
        for (String keyed : List.of("-C llvm-args=-inline-threshold=50", "-Zcodegen-backend=cranelift",
                "-C llvm-args=-x86-asm-syntax=intel", "-C llvm-args=-import-instr-limit=0",
                "-C llvm-args=-profile-summary-cutoff-hot=990000")) {
            assertTrue(RustcArgsParser.parse(RUSTC, List.of((lib + keyed).split(" ")), ws) instanceof RustcCall, keyed);
        }
    }

    private void assertPassthrough(String reason, String... args) {
        assertEquals(new Passthrough(reason), RustcArgsParser.parse(RUSTC, List.of(args), ws), List.of(args)::toString);
    }

    /** The args with the two tokens of the {@code -C incremental=…} cargo sends taken out. */
    private static List<String> withoutIncremental(List<String> args) {
        List<String> out = new ArrayList<>(args);
        for (int i = 0; i + 1 < out.size(); i++) {
            if (out.get(i).equals("-C") && out.get(i + 1).startsWith("incremental=")) {
                out.subList(i, i + 2).clear();
                return out;
            }
        }
        throw new AssertionError("no -C incremental in " + args);
    }
}
