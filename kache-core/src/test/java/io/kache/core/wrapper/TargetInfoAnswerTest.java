package io.kache.core.wrapper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.core.Invocation;
import io.kache.core.store.LocalStore;
import io.kache.testkit.SpyRustc;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which calls are cargo's target-info probe that kache may answer, and what its memo is keyed by. */
class TargetInfoAnswerTest {

    /** What cargo 1.95 sends (after the compiler), seen in real builds. */
    static final List<String> PROBE = List.of("-", "--crate-name", "___", "--print=file-names", "--crate-type", "bin",
            "--crate-type", "rlib", "--crate-type", "dylib", "--crate-type", "cdylib", "--crate-type", "staticlib",
            "--crate-type", "proc-macro", "--print=sysroot", "--print=split-debuginfo", "--print=crate-name",
            "--print=cfg", "-Wwarnings");

    private static final String STAMP = "/t/bin/rustc\n123 456\n";
    private static final String BANNER = "rustc 1.95.0 (59807616e 2026-04-14)\nbinary: rustc\nrelease: 1.95.0\n";

    private static List<String> with(String... more) {
        List<String> args = new ArrayList<>(PROBE);
        args.addAll(List.of(more));
        return args;
    }

    @Test
    void cargosProbeIsOne() {
        assertTrue(TargetInfoAnswer.isProbe(PROBE));
        assertTrue(TargetInfoAnswer.isProbe(with("-C", "opt-level=3", "--cfg", "foo")), "rustflags go with it");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--target", "--target=wasm32-unknown-unknown", "-Ctarget-cpu=native", "target-cpu=native",
        "@args.txt"})
    void aTargetAnArgfileOrTheNativeCpuIsNeverAnswered(String arg) {
        assertFalse(TargetInfoAnswer.isProbe(with(arg, "x")));
    }

    @Test
    void whatIsNotTheProbeIsNot() {
        assertFalse(TargetInfoAnswer.isProbe(PROBE.subList(1, PROBE.size())), "no source from stdin");
        List<String> otherCrate = new ArrayList<>(PROBE);
        otherCrate.set(2, "app");
        assertFalse(TargetInfoAnswer.isProbe(otherCrate));
        assertFalse(TargetInfoAnswer.isProbe(List.of("-", "--crate-name", "___", "--crate-type", "bin")), "prints nothing");
        assertFalse(TargetInfoAnswer.isProbe(List.of("-vV")));
    }

    @Test
    void theKeyRestsOnTheBinaryItsBannerEveryArgumentAndWhatRustcReadsFromTheEnvironment() {
        Map<String, String> env = new HashMap<>(Map.of("PATH", "/bin", "HOME", "/root", "RUSTC_WRAPPER", "/k/bin/kache",
                "LD_LIBRARY_PATH", "/t/lib", "RUSTUP_TOOLCHAIN", "stable"));
        String key = TargetInfoAnswer.key(STAMP, BANNER, PROBE, env);
        assertEquals(key, TargetInfoAnswer.key(STAMP, BANNER, List.copyOf(PROBE), new HashMap<>(env)), "deterministic");
        assertTrue(key.endsWith(".targetinfo"));

        assertNotEquals(key, TargetInfoAnswer.key("/t/bin/rustc\n123 457\n", BANNER, PROBE, env), "the binary changed");
        assertNotEquals(key, TargetInfoAnswer.key(STAMP, BANNER.replace("1.95.0", "1.96.0"), PROBE, env));
        assertNotEquals(key, TargetInfoAnswer.key(STAMP, BANNER, with("--cfg", "x"), env), "an argument more");
        for (String name : List.of("RUSTC_BOOTSTRAP", "RUST_TARGET_PATH", "LD_LIBRARY_PATH", "LD_PRELOAD", "RUSTUP_TOOLCHAIN")) {
            Map<String, String> changed = new HashMap<>(env);
            changed.put(name, "1");
            assertNotEquals(key, TargetInfoAnswer.key(STAMP, BANNER, PROBE, changed), name);
        }
        for (String name : List.of("PATH", "HOME", "RUSTC_WRAPPER", "RUSTC_WORKSPACE_WRAPPER", "CARGO_MAKEFLAGS")) {
            Map<String, String> changed = new HashMap<>(env);
            changed.put(name, "/elsewhere");
            assertEquals(key, TargetInfoAnswer.key(STAMP, BANNER, PROBE, changed), name + " is not rustc's");
        }
    }

    @Test
    void argumentsAreKeyedWithTheirBoundaries() {
        Map<String, String> env = Map.of();
        assertNotEquals(TargetInfoAnswer.key(STAMP, BANNER, List.of("-", "a b"), env),
                TargetInfoAnswer.key(STAMP, BANNER, List.of("-", "a", "b"), env));
    }

    /**
     * {@code RUSTC=./rustc-shim} running the real rustc with {@code $SHIM_FLAGS}: the answer remembered
     * without {@code --cfg foo} is not the answer with it (cargo hands the answer's cfgs to build
     * scripts as {@code CARGO_CFG_*} and matches {@code cfg(...)} dependencies against them). The
     * banner is the same for both, and {@code SHIM_FLAGS} is no variable rustc reads.
     */
    @Test
    void aShimScriptsEnvironmentKeysTheAnswer(@TempDir Path temp) throws Exception {
        BackgroundStores.enable();
        Path shim = temp.resolve("rustc-shim");
        Files.writeString(shim, "#!/bin/sh\nexec '" + SpyRustc.realRustc() + "' \"$@\" $SHIM_FLAGS\n");
        Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> plain = Map.of("PATH", System.getenv("PATH"));
        Map<String, String> foo = Map.of("PATH", System.getenv("PATH"), "SHIM_FLAGS", "--cfg foo");
        try (LocalStore store = LocalStore.open(temp.resolve("store"), 1L << 30)) {
            TargetInfoAnswer without = TargetInfoAnswer.of(probe(shim, plain, temp), store.toolchainMemo()).orElseThrow();
            without.rememberInBackground();
            assertTrue(BackgroundStores.awaitIdle(60_000));
            assertFalse(without.remembered().orElseThrow().lines().anyMatch("foo"::equals), "no cfg foo");

            TargetInfoAnswer with = TargetInfoAnswer.of(probe(shim, foo, temp), store.toolchainMemo()).orElseThrow();
            assertEquals(Optional.empty(), with.remembered(), "the answer without --cfg foo is not this one's");
            with.rememberInBackground();
            assertTrue(BackgroundStores.awaitIdle(60_000));
            assertTrue(with.remembered().orElseThrow().lines().anyMatch("foo"::equals), "its own run, with cfg foo");
        }
    }

    private static Invocation probe(Path compiler, Map<String, String> env, Path cwd) {
        List<String> args = new ArrayList<>(List.of(compiler.toString()));
        args.addAll(PROBE);
        PrintStream sink = new PrintStream(new ByteArrayOutputStream());
        return new Invocation(args, env, cwd, InputStream.nullInputStream(), sink, sink);
    }
}
