package io.kache.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.testkit.SpyRustc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With real cargo: an entry serves every rendering of its warnings it has seen. Before, an entry kept
 * only the rendering it was first stored with (cargo's default {@code --message-format} here); a build
 * with other diagnostic flags ({@code --message-format=short}, or a terminal's {@code --diagnostic-width})
 * found it, could not replay it, compiled, and was refused a place for its own rendering: the same
 * crate missed on every such build, for good. Now its compile adds its rendering to the entry, and both
 * kinds of build are served, each printing what plain cargo prints.
 */
class DiagnosticRenderingsCargoIT {

    static final Map<String, String> FILES = Map.of(
            "Cargo.toml", "[workspace]\nmembers = [\"warned\", \"app\"]\nresolver = \"2\"\n",
            "warned/Cargo.toml", SmallWorkspace.manifest("warned", ""),
            "warned/src/lib.rs", "pub fn one() -> u32 { let unused = 2; 1 }\nfn never_called() {}\n",
            "app/Cargo.toml", SmallWorkspace.manifest("app", "[dependencies]\nwarned = { path = \"../warned\" }\n"),
            "app/src/main.rs", "fn main() { println!(\"{}\", warned::one()); }\n");

    @TempDir
    Path tmp;

    @AfterEach
    void stopTheServers() throws InterruptedException {
        KacheLauncher.stopProcessesOf(tmp);
    }

    @Test
    void eachRenderingIsServedOnceItWasCompiledOnce() throws Exception {
        check(KacheLauncher.create(Files.createDirectories(tmp.resolve("bin"))), Map.of("KACHE_NO_SERVER", "1"));
    }

    /** Through the kache server, which stores a miss after cargo has the unit back. */
    @Test
    void eachRenderingIsServedOnceItWasCompiledOnceThroughTheServer() throws Exception {
        check(KacheLauncher.repositoryLauncher(), KacheLauncher.ownServer(tmp));
    }

    private void check(Path kache, Map<String, String> mode) throws Exception {
        SpyRustc spy = SpyRustc.create(tmp.resolve("spy"));
        SmallWorkspace ws = SmallWorkspace.write(tmp.resolve("ws"), FILES, kache, spy, tmp.resolve("store"),
                Files.createDirectories(tmp.resolve("xdg")));
        ws.env.putAll(mode);
        String plainDefault = plain(ws);
        String plainShort = plain(ws, "--message-format", "short");
        assertTrue(plainDefault.contains("never_called") && plainShort.contains("never_called"), plainDefault);
        assertTrue(!plainDefault.equals(plainShort), "two renderings of the warnings:\n" + plainShort);
        spy.takeCompiled();

        assertEquals(plainDefault, build(ws));
        assertEquals(List.of("app", "warned"), spy.takeCompiled().stream().sorted().toList(), "a cold store");
        ws.cargo(Map.of(), "clean").assertOk("cargo clean");
        assertEquals(plainShort, build(ws, "--message-format", "short"));
        assertEquals(List.of("warned"), spy.takeCompiled(), "its entry has the default rendering only; app is quiet");
        ws.cargo(Map.of(), "clean").assertOk("cargo clean");
        assertEquals(plainShort, build(ws, "--message-format", "short"));
        assertEquals(List.of(), spy.takeCompiled(), "the short rendering was added to the entry");
        ws.cargo(Map.of(), "clean").assertOk("cargo clean");
        assertEquals(plainDefault, build(ws));
        assertEquals(List.of(), spy.takeCompiled(), "the default rendering is still served");
        assertEquals("1", ws.run(ws.dir.resolve("target/debug/app")).strip());

        String why = CargoRun.run(ws.dir, ws.env, kache.toString(), "why-miss", "warned")
                .assertOk("kache why-miss").stdout();
        assertTrue(why.contains("this call's rendering was added to the entry"), why);
    }

    /** What plain cargo prints (no wrapper, a target dir of its own), the timing left out. */
    private static String plain(SmallWorkspace ws, String... flags) throws Exception {
        Map<String, String> env = new HashMap<>(ws.env);
        env.remove("RUSTC_WRAPPER");
        env.put("CARGO_TARGET_DIR", ws.dir.resolve("plain-target").toString());
        CargoRun.cargo(ws.dir, env, "clean").assertOk("plain cargo clean");
        String[] args = new String[flags.length + 1];
        args[0] = "build";
        System.arraycopy(flags, 0, args, 1, flags.length);
        CargoRun.Result r = CargoRun.run(ws.dir, env, Set.of("RUSTC_WRAPPER"), cargo(args)).assertOk("plain cargo");
        return timeless(r.stderr());
    }

    private static String build(SmallWorkspace ws, String... flags) throws Exception {
        String[] args = new String[flags.length + 1];
        args[0] = "build";
        System.arraycopy(flags, 0, args, 1, flags.length);
        return timeless(ws.cargo(Map.of(), args).assertOk("cargo build").stderr());
    }

    private static String[] cargo(String[] args) {
        String[] command = new String[args.length + 1];
        command[0] = "cargo";
        System.arraycopy(args, 0, command, 1, args.length);
        return command;
    }

    private static String timeless(String stderr) {
        return stderr.replaceAll("target\\(s\\) in [0-9.]+m?s", "target(s) in T");
    }
}
