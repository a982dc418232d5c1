package io.kache.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.testkit.Deadline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fast path as users run it: the repository's {@code bin/kache}, the native client and the
 * kache server. The first call starts the server, which then compiles and stores the misses; a warm
 * build after {@code cargo clean} is served by it, with the same outputs as without a server.
 */
class ServerCargoIT {


    @TempDir
    Path tmp;

    @Test
    void aWarmBuildIsServedByTheServerWithIdenticalResults() throws Exception {
        Path launcher = KacheLauncher.repositoryLauncher();
        SpyRustc spy = SpyRustc.create(tmp.resolve("spy"));
        Path serverDir = tmp.resolve("server");
        DemoWorkspace ws = DemoWorkspace.copyTo(tmp.resolve("ws"), launcher, spy, tmp.resolve("store"),
                Files.createDirectories(tmp.resolve("xdg")));
        ws.env.put("KACHE_SERVER_DIR", serverDir.toString());
        ws.env.put("KACHE_SERVER_IDLE_MS", "20000");

        ws.cargo("build").assertOk("cold build");
        assertEquals(List.of("app", "build_script_build", "core_lib", "macros"), spy.takeCompiled());
        String expected = ws.runApp(ws.dir.resolve("target"), "debug");
        Deadline.in(Duration.ofSeconds(60)).await("the server to listen", () -> hasSocket(serverDir));

        ws.cargo("clean").assertOk("clean");
        ws.cargo("build").assertOk("warm build");
        assertEquals(List.of(), spy.takeCompiled(), "nothing compiled");
        assertEquals(expected, ws.runApp(ws.dir.resolve("target"), "debug"));
        String log = serverLog(serverDir);
        for (String crate : List.of("app", "build_script_build", "core_lib", "macros")) {
            assertTrue(log.lines().anyMatch(l -> l.startsWith("served ") && l.contains("--crate-name " + crate + " ")),
                    crate + " served: " + log);
        }

        // With the server refused, the JVM path gives the same result.
        ws.cargo("clean").assertOk("clean");
        ws.cargo(Map.of("KACHE_NO_SERVER", "1"), "build").assertOk("warm build without the server");
        assertEquals(List.of(), spy.takeCompiled());
        assertEquals(expected, ws.runApp(ws.dir.resolve("target"), "debug"));
    }

    @Test
    void aServerDirectoryOthersCanEnterIsNeverUsed() throws Exception {
        Path launcher = KacheLauncher.repositoryLauncher();
        Path open = Files.createDirectories(tmp.resolve("open"));
        Files.setPosixFilePermissions(open, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        SpyRustc spy = SpyRustc.create(tmp.resolve("spy"));
        DemoWorkspace ws = DemoWorkspace.copyTo(tmp.resolve("ws"), launcher, spy, tmp.resolve("store"),
                Files.createDirectories(tmp.resolve("xdg")));
        ws.env.put("KACHE_SERVER_DIR", open.toString());
        ws.cargo("build").assertOk("build with a shared server directory");
        assertEquals("Hello, kache generated=42 flavor=plain tokens=3\n", ws.runApp(ws.dir.resolve("target"), "debug"));
        try (Stream<Path> files = Files.list(open)) {
            assertEquals(List.of(), files.toList(), "no server was started in a directory others can write");
        }
    }

    static boolean hasSocket(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(".sock"));
        } catch (IOException e) {
            return false;
        }
    }

    static String serverLog(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            Path log = files.filter(p -> p.getFileName().toString().endsWith(".sock.log")).findFirst().orElseThrow();
            return Files.readString(log);
        }
    }
}
