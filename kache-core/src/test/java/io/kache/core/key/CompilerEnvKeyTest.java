package io.kache.core.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kache.core.rustc.PathSentinels;
import io.kache.core.rustc.RustcArgsParser;
import io.kache.core.rustc.RustcCall;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What rustc reads from its environment and shapes its output with, though no dep-info says so, is in the key. */
class CompilerEnvKeyTest {

    @TempDir
    Path ws;

    private String key(List<String> args, Map<String, String> env) throws Exception {
        RustcCall call = (RustcCall) RustcArgsParser.parse(Path.of("/usr/bin/rustc"), args, ws);
        KeyContext ctx = new KeyContext("rustc 1.95.0", PathSentinels.of(Map.of("ws", ws)), env, ws, "",
                Optional.empty(), Sha256Files.HASHER);
        return CacheKeyRecipe.callKey(call, ctx);
    }

    private List<String> lib(String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("--crate-name", "fv", "src/lib.rs", "--crate-type", "lib",
                "--emit=dep-info,metadata,link", "--out-dir", ws.resolve("out").toString()));
        args.addAll(List.of(more));
        return args;
    }

    /** It changes the crate's identity and every symbol hash. */
    @Test
    void aForcedCompilerVersionIsKeyed() throws Exception {
        String plain = key(lib(), Map.of());
        assertNotEquals(plain, key(lib(), Map.of("RUSTC_FORCE_RUSTC_VERSION", "pinned")));
        assertNotEquals(key(lib(), Map.of("RUSTC_FORCE_RUSTC_VERSION", "a")),
                key(lib(), Map.of("RUSTC_FORCE_RUSTC_VERSION", "b")));
    }

    /** The version #[cfg(version(…))] compares with (found by a hunt: an entry crossed between the two). */
    @Test
    void anOverriddenVersionStringIsKeyed() throws Exception {
        assertNotEquals(key(lib(), Map.of()), key(lib(), Map.of("RUSTC_OVERRIDE_VERSION_STRING", "1.200.0")));
    }

    /** LLVM writes it into emitted bitcode as the producer; rust-lld writes LLD_VERSION into a program's .comment. */
    @Test
    void theProducerStringsLlvmAndLldWriteAreKeyed() throws Exception {
        assertNotEquals(key(lib(), Map.of()), key(lib(), Map.of("LLVM_OVERRIDE_PRODUCER", "fake")));
        List<String> bin = new java.util.ArrayList<>(List.of("--crate-name", "fv", "src/main.rs", "--crate-type", "bin",
                "--emit=dep-info,link", "--out-dir", ws.resolve("out").toString()));
        assertNotEquals(key(bin, Map.of()), key(bin, Map.of("LLD_VERSION", "LLD 0.0 (fake)")));
    }

    /** {@code --target mytgt} that rustc does not know is {@code mytgt.json} from RUST_TARGET_PATH: keyed by its content. */
    @Test
    void aTargetSpecFoundThroughTheTargetPathIsKeyedByContent() throws Exception {
        Path tp1 = Files.createDirectories(ws.resolve("tp1"));
        Path tp2 = Files.createDirectories(ws.resolve("tp2"));
        Files.writeString(tp1.resolve("mytgt.json"), "{\"vendor\": \"one\"}");
        Files.writeString(tp2.resolve("mytgt.json"), "{\"vendor\": \"two\"}");
        List<String> args = lib("--target", "mytgt");
        String one = key(args, Map.of("RUST_TARGET_PATH", tp1.toString()));
        Files.writeString(tp2.resolve("mytgt.json"), "{\"vendor\": \"one\"}");
        String sameContent = key(args, Map.of("RUST_TARGET_PATH", tp2.toString()));
        Files.writeString(tp2.resolve("mytgt.json"), "{\"vendor\": \"two\"}");
        String otherContent = key(args, Map.of("RUST_TARGET_PATH", tp2.toString()));
        assertNotEquals(sameContent, otherContent, "another spec under the same path");
        assertNotEquals(one, otherContent);
        Files.writeString(tp1.resolve("mytgt.json"), "{\"vendor\": \"changed\"}");
        assertNotEquals(one, key(args, Map.of("RUST_TARGET_PATH", tp1.toString())), "a changed spec");
    }

    /**
     * rustc looks for {@code NAME.json} in the working directory when RUST_TARGET_PATH is unset or has
     * an empty element, and takes names with a {@code /} (found by a hunt: such a spec was keyed by
     * name, and an edited one served the old build).
     */
    @Test
    void aTargetSpecFoundInTheWorkingDirectoryIsKeyedByContent() throws Exception {
        Files.createDirectories(ws.resolve("specs"));
        for (String name : List.of("mytgt", "specs/mytgt")) {
            Path spec = Files.writeString(ws.resolve(name + ".json"), "{\"os\": \"ccc\"}");
            List<String> args = lib("--target", name);
            for (Map<String, String> env : List.of(Map.<String, String>of(), Map.of("RUST_TARGET_PATH", "/nonexistent:"))) {
                Files.writeString(spec, "{\"os\": \"ccc\"}");
                String before = key(args, env);
                Files.writeString(spec, "{\"os\": \"ddd\"}");
                assertNotEquals(before, key(args, env), name + " with " + env);
            }
        }
    }

    /**
     * A spec's own linker and link arguments, its native CPU and its LLVM response file name what the
     * key does not read, and a split-debuginfo default writes files a hit would not restore: such calls
     * run unchanged (found by hunts, each served stale bytes). A library that does not link is still
     * cached; the toolchain's rust-lld is keyed.
     */
    @Test
    void aTargetSpecWithWhatTheKeyCannotHoldIsNotCached() throws Exception {
        List<String> bin = new ArrayList<>(List.of("--crate-name", "fv", "src/main.rs", "--crate-type", "bin",
                "--emit=dep-info,link", "--out-dir", ws.resolve("out").toString(), "--target", "./own.json"));
        Path spec = ws.resolve("own.json");
        Files.writeString(spec, "{\"linker\": \"/opt/myld\"}");
        assertEquals(TargetSpec.OWN_LINKING, assertThrows(UncacheableCallException.class, () -> key(bin, Map.of())).reason());
        key(lib("--target", "./own.json"), Map.of());
        Files.writeString(spec, "{\"linker\": \"rust-lld\", \"pre-link-args\": {\"gnu-lld\": [\"-Textra.ld\"]}}");
        assertEquals(TargetSpec.OWN_LINKING, assertThrows(UncacheableCallException.class, () -> key(bin, Map.of())).reason());
        Files.writeString(spec, "{\"linker\": \"rust-lld\", \"pre-link-args\": {}}");
        key(bin, Map.of());
        Files.writeString(spec, "{\"split-debuginfo\": \"unpacked\"}");
        assertEquals(TargetSpec.SPLIT_DEBUGINFO,
                assertThrows(UncacheableCallException.class, () -> key(lib("--target", "./own.json"), Map.of())).reason());
        key(lib("--target", "./own.json", "-C", "split-debuginfo=off"), Map.of());
        // The host's CPU, and LLVM options from a file (found by a hunt).
        Files.writeString(spec, "{\"cpu\": \"native\"}");
        assertEquals(TargetSpec.NATIVE_CPU,
                assertThrows(UncacheableCallException.class, () -> key(lib("--target", "./own.json"), Map.of())).reason());
        Files.writeString(ws.resolve("bbs"), "!foo\n");
        for (String reads : List.of("@llvm.rsp", "-basic-block-sections=bbs")) {
            Files.writeString(spec, "{\"llvm-args\": [\"" + reads + "\"]}");
            assertEquals(TargetSpec.LLVM_FILE,
                    assertThrows(UncacheableCallException.class, () -> key(lib("--target", "./own.json"), Map.of())).reason());
        }
        Files.writeString(spec, "{\"cpu\": \"x86-64-v2\", \"llvm-args\": [\"-inline-threshold=50\"]}");
        key(lib("--target", "./own.json"), Map.of());
    }
}
