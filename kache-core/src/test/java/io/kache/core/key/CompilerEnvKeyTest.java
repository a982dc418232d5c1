package io.kache.core.key;

import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.kache.core.rustc.PathSentinels;
import io.kache.core.rustc.RustcArgsParser;
import io.kache.core.rustc.RustcCall;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
