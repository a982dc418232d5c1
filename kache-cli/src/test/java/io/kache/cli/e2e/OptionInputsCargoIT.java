package io.kache.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kache.testkit.SpyRustc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs an option brings besides its text, with real cargo: a profile-guided optimization's profile
 * replaced under the same name is compiled with, as plain cargo would (rustc lists it in the
 * dep-info), a {@code native} target CPU is still cached (its key holds the host's CPU,
 * {@code NativeCpuKeyTest}), and LLVM options read from a response file pass through.
 */
class OptionInputsCargoIT {

    private static final String PROFILE_TEXT = "# IR level Instrumentation Flag\n:ir\nfrobnicate\n# Func Hash:\n1234\n"
            + "# Num Counters:\n1\n# Counter Values:\n%d\n";

    @TempDir
    Path tmp;

    private SpyRustc spy;
    private Map<String, String> env;

    @BeforeEach
    void setUp() throws Exception {
        Path kache = KacheLauncher.create(Files.createDirectories(tmp.resolve("bin")));
        spy = SpyRustc.create(tmp.resolve("spy"));
        env = new HashMap<>();
        env.put("RUSTC_WRAPPER", kache.toString());
        env.put("RUSTC", spy.path().toString());
        env.put("KACHE_CACHE_DIR", tmp.resolve("store").toString());
        env.put("XDG_CONFIG_HOME", Files.createDirectories(tmp.resolve("xdg")).toString());
        env.put("CARGO_TERM_COLOR", "never");
        env.put("CARGO_NET_OFFLINE", "true");
    }

    @Test
    void aReplacedProfileIsCompiledWithAndTheSameOneIsServed() throws Exception {
        Path profile = tmp.resolve("pgo/merged.profdata");
        assumeTrue(profile(profile, 100), "llvm-profdata is not installed");
        Path ws = workspace(tmp.resolve("pgo-ws"));
        Map<String, String> pgo = Map.of("RUSTFLAGS", "-Cprofile-use=" + profile);
        cargo(ws, pgo, "build").assertOk("first build");
        assertEquals(List.of("pgoapp"), spy.takeCompiled());

        cargo(ws, Map.of(), "clean").assertOk("clean");
        cargo(ws, pgo, "build").assertOk("build from clean, same profile");
        assertEquals(List.of(), spy.takeCompiled(), "the same profile is served from the cache");

        profile(profile, 7);
        cargo(ws, Map.of(), "clean").assertOk("clean");
        cargo(ws, pgo, "build").assertOk("build from clean, another profile");
        assertEquals(List.of("pgoapp"), spy.takeCompiled(), "another profile under the same name is compiled with");
    }

    @Test
    void aNativeTargetCpuIsCached() throws Exception {
        Path ws = workspace(tmp.resolve("native-ws"));
        Map<String, String> nativeCpu = Map.of("RUSTFLAGS", "-Ctarget-cpu=native");
        cargo(ws, nativeCpu, "build").assertOk("first build");
        assertEquals(List.of("pgoapp"), spy.takeCompiled());
        cargo(ws, Map.of(), "clean").assertOk("clean");
        cargo(ws, nativeCpu, "build").assertOk("build from clean");
        assertEquals(List.of(), spy.takeCompiled(), "served on the machine that built it");
        assertEquals("45\n", CargoRun.run(ws, Map.of(), ws.resolve("target/debug/pgoapp").toString())
                .assertOk("pgoapp").stdout());
    }

    /**
     * LLVM expands {@code @FILE} in {@code -C llvm-args}: the file's content changes the code, and the
     * key would hold only its name. Such a call runs rustc unchanged, every time.
     */
    @Test
    void llvmOptionsFromAResponseFileAreNeverServedFromTheCache() throws Exception {
        Path ws = workspace(tmp.resolve("llvm-args-ws"));
        Path options = tmp.resolve("llvm-options.txt");
        Files.writeString(options, "-vectorize-loops=false\n");
        Map<String, String> flags = Map.of("RUSTFLAGS", "-C llvm-args=@" + options);
        cargo(ws, flags, "build").assertOk("first build");
        assertEquals(List.of("pgoapp"), spy.takeCompiled());
        cargo(ws, Map.of(), "clean").assertOk("clean");
        cargo(ws, flags, "build").assertOk("build from clean");
        assertEquals(List.of("pgoapp"), spy.takeCompiled(), "compiled again: the options file is not keyed");
    }

    /** Writes an indexed profile whose one counter is {@code count}; false when there is no llvm-profdata. */
    private static boolean profile(Path profile, int count) throws Exception {
        Files.createDirectories(profile.getParent());
        Path text = profile.resolveSibling("profile.proftext");
        Files.writeString(text, PROFILE_TEXT.formatted(count));
        try {
            Process p = new ProcessBuilder("llvm-profdata", "merge", "-o", profile.toString(), text.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new AssertionError("llvm-profdata failed: " + out);
            }
            return true;
        } catch (IOException notInstalled) {
            return false;
        }
    }

    private static Path workspace(Path ws) throws IOException {
        Files.createDirectories(ws.resolve("src"));
        Files.writeString(ws.resolve("Cargo.toml"), "[package]\nname = \"pgoapp\"\nversion = \"0.1.0\"\nedition = \"2021\"\n");
        Files.writeString(ws.resolve("src/main.rs"), "fn main() { println!(\"{}\", (0..10u32).sum::<u32>()); }\n");
        return ws;
    }

    private CargoRun.Result cargo(Path ws, Map<String, String> extraEnv, String... args) throws Exception {
        Map<String, String> all = new HashMap<>(env);
        all.putAll(extraEnv);
        return CargoRun.cargo(ws, all, args);
    }
}
