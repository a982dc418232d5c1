package io.kache.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kache.testkit.SpyRustc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    private Path kache;
    private SpyRustc spy;

    @BeforeEach
    void setUp() throws Exception {
        kache = KacheLauncher.create(Files.createDirectories(tmp.resolve("bin")));
        spy = SpyRustc.create(tmp.resolve("spy"));
    }

    @Test
    void aReplacedProfileIsCompiledWithAndTheSameOneIsServed() throws Exception {
        Path profile = tmp.resolve("pgo/merged.profdata");
        assumeTrue(profile(profile, 100), "llvm-profdata is not installed");
        SmallWorkspace ws = workspace("pgo-ws");
        Map<String, String> pgo = Map.of("RUSTFLAGS", "-Cprofile-use=" + profile);
        ws.cargo(pgo, "build").assertOk("first build");
        assertEquals(List.of("pgoapp"), spy.takeCompiled());

        ws.cargo(Map.of(), "clean").assertOk("clean");
        ws.cargo(pgo, "build").assertOk("build from clean, same profile");
        assertEquals(List.of(), spy.takeCompiled(), "the same profile is served from the cache");

        profile(profile, 7);
        ws.cargo(Map.of(), "clean").assertOk("clean");
        ws.cargo(pgo, "build").assertOk("build from clean, another profile");
        assertEquals(List.of("pgoapp"), spy.takeCompiled(), "another profile under the same name is compiled with");
    }

    @Test
    void aNativeTargetCpuIsCached() throws Exception {
        SmallWorkspace ws = workspace("native-ws");
        Map<String, String> nativeCpu = Map.of("RUSTFLAGS", "-Ctarget-cpu=native");
        ws.cargo(nativeCpu, "build").assertOk("first build");
        assertEquals(List.of("pgoapp"), spy.takeCompiled());
        ws.cargo(Map.of(), "clean").assertOk("clean");
        ws.cargo(nativeCpu, "build").assertOk("build from clean");
        assertEquals(List.of(), spy.takeCompiled(), "served on the machine that built it");
        assertEquals("45\n", ws.run(ws.dir.resolve("target/debug/pgoapp")));
    }

    /**
     * LLVM expands {@code @FILE} in {@code -C llvm-args}: the file's content changes the code, and the
     * key would hold only its name. Such a call runs rustc unchanged, every time.
     */
    @Test
    void llvmOptionsFromAResponseFileAreNeverServedFromTheCache() throws Exception {
        SmallWorkspace ws = workspace("llvm-args-ws");
        Path options = tmp.resolve("llvm-options.txt");
        Files.writeString(options, "-vectorize-loops=false\n");
        Map<String, String> flags = Map.of("RUSTFLAGS", "-C llvm-args=@" + options);
        ws.cargo(flags, "build").assertOk("first build");
        assertEquals(List.of("pgoapp"), spy.takeCompiled());
        ws.cargo(Map.of(), "clean").assertOk("clean");
        ws.cargo(flags, "build").assertOk("build from clean");
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

    private SmallWorkspace workspace(String name) throws IOException {
        return SmallWorkspace.write(tmp.resolve(name), Map.of("Cargo.toml", SmallWorkspace.manifest("pgoapp", ""),
                "src/main.rs", "fn main() { println!(\"{}\", (0..10u32).sum::<u32>()); }\n"), kache, spy,
                tmp.resolve("store"), Files.createDirectories(tmp.resolve("xdg")));
    }
}
