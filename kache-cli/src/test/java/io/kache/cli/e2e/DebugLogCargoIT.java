package io.kache.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.testkit.SpyRustc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code KACHE_LOG=debug} as a user runs it, through bin/kache and cargo: the wrapper's debug lines
 * reach a log in the server directory, in a JVM of its own and in the server alike, and never rustc's
 * stderr, which cargo prints with the compiler's output and replays on every build in which the crate
 * is fresh.
 */
class DebugLogCargoIT {

    /** A line of every cacheable call at debug level (CallOutcome.Cacheable). */
    private static final String HASHED = "file(s) read to hash";

    @TempDir
    Path tmp;

    @AfterEach
    void stopTheServers() throws InterruptedException {
        KacheLauncher.stopProcessesOf(tmp);
    }

    @Test
    void inAJvmOfItsOwnDebugLinesGoToTheServerDirectoryNotToRustcsStderr() throws Exception {
        Path serverDir = tmp.resolve("server");
        DemoWorkspace ws = demo(serverDir);
        ws.env.put("KACHE_NO_SERVER", "1");

        CargoRun.Result build = ws.cargo(Map.of("KACHE_LOG", "debug"), "build").assertOk("build with KACHE_LOG=debug");

        assertNoKacheLines(build);
        String log = Files.readString(serverDir.resolve("wrapper.log"));
        assertTrue(log.lines().anyMatch(l -> l.contains("app: ") && l.contains(HASHED)), log);
        // Fresh now: cargo replays what it kept of each crate's stderr.
        assertNoKacheLines(ws.cargo("build").assertOk("fresh build"));
    }

    @Test
    void aRunningServerLogsTheDebugLinesOfTheCallsThatAskForThem() throws Exception {
        Path serverDir = tmp.resolve("server");
        DemoWorkspace ws = demo(serverDir);
        ws.cargo("build").assertOk("cold build, which starts the server");
        assertFalse(ServerCargoIT.serverLog(serverDir).contains("debug: "), "nobody asked for debug lines");

        ws.cargo("clean").assertOk("clean");
        CargoRun.Result build = ws.cargo(Map.of("KACHE_LOG", "debug"), "build").assertOk("build with KACHE_LOG=debug");

        assertNoKacheLines(build);
        String log = ServerCargoIT.serverLog(serverDir);
        assertTrue(log.lines().anyMatch(l -> l.startsWith("debug: app: ") && l.contains(HASHED)), log);
        assertTrue(log.lines().anyMatch(l -> l.startsWith("served ") && l.contains("--crate-name app ")),
                "the calls were the server's: " + log);
    }

    private static void assertNoKacheLines(CargoRun.Result build) {
        assertFalse(build.stderr().contains("io.kache") || build.stderr().contains(HASHED), build.stderr());
    }

    private DemoWorkspace demo(Path serverDir) throws Exception {
        DemoWorkspace ws = DemoWorkspace.copyTo(tmp.resolve("ws"), KacheLauncher.repositoryLauncher(),
                SpyRustc.create(tmp.resolve("spy")), tmp.resolve("store"), Files.createDirectories(tmp.resolve("xdg")));
        ws.env.put("KACHE_SERVER_DIR", serverDir.toString());
        ws.env.put("KACHE_SERVER_IDLE_MS", "20000");
        return ws;
    }
}
