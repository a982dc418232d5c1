package io.kache.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.testkit.Deadline;
import io.kache.testkit.SpyRustc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archive as a Rust developer without a JDK meets it: unpacked read-only into a path
 * with a space, every system {@code java} hidden (a failing one first on PATH, JAVA_HOME unset),
 * then {@code --version}, {@code kache init} and plain cargo builds with no RUSTC_WRAPPER.
 */
class ReleaseArchiveIT {

    private static final Set<String> HIDDEN = Set.of("JAVA_HOME", "RUSTC_WRAPPER", "KACHE_CONFIG", "KACHE_JAVA");

    @TempDir
    Path tmp;

    /** A server may still be storing a miss in the background: stopped before the directory goes. */
    @AfterEach
    void stopTheServers() throws InterruptedException {
        KacheLauncher.stopProcessesOf(tmp);
    }

    @Test
    void theUnpackedArchiveCachesACargoBuildWithNoJavaInstalled() throws Exception {
        Path install = Files.createDirectories(tmp.resolve("unpacked here"));
        CargoRun.run(install, Map.of(), "tar", "xzf", archive().toString()).assertOk("tar");
        Path root;
        try (Stream<Path> unpacked = Files.list(install)) {
            root = unpacked.findFirst().orElseThrow();
        }
        Path kache = root.resolve("bin/kache");
        Path fakeBin = Files.createDirectories(tmp.resolve("fake bin"));
        Path fakeJava = fakeBin.resolve("java");
        Files.writeString(fakeJava, "#!/bin/sh\necho 'a system java was called' >&2\nexit 99\n");
        Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwxr-xr-x"));
        SpyRustc spy = SpyRustc.create(tmp.resolve("spy"));
        DemoWorkspace ws = DemoWorkspace.copyTo(tmp.resolve("ws"), kache, spy, tmp.resolve("store"),
                Files.createDirectories(tmp.resolve("xdg")));
        Map<String, String> env = new HashMap<>(ws.env);
        env.remove("RUSTC_WRAPPER");
        env.put("PATH", fakeBin + ":" + System.getenv("PATH"));
        env.put("CARGO_HOME", Files.createDirectories(tmp.resolve("cargo home")).toString());
        env.put("KACHE_SERVER_DIR", tmp.resolve("server").toString());
        CargoRun.run(install, Map.of(), "chmod", "-R", "a-w", root.toString()).assertOk("chmod");
        try {
            CargoRun.Result version = CargoRun.run(ws.dir, env, HIDDEN, kache.toString(), "--version")
                    .assertOk("kache --version");
            assertTrue(version.stdout().matches("(?s)kache \\S+ \\(commit \\S+\\)\nJava \\S+ .* at "
                    + java.util.regex.Pattern.quote(root.resolve("runtime").toString()) + "\n"), version.stdout());

            CargoRun.run(ws.dir, env, HIDDEN, kache.toString(), "init").assertOk("kache init");
            if (Files.isExecutable(root.resolve("libexec/kache-client"))) {
                // No shell on the hit path: cargo runs the native client, which finds the rest itself.
                assertTrue(Files.readString(Path.of(env.get("CARGO_HOME"), "config.toml")).contains(
                        "rustc-wrapper = \"" + root.resolve("libexec/kache-client") + "\""),
                        "kache init sets the native client");
            }
            CargoRun.run(ws.dir, env, HIDDEN, "cargo", "build").assertOk("cold build");
            assertEquals(InitCargoIT.ALL_CRATES, spy.takeCompiled());
            CargoRun.run(ws.dir, env, HIDDEN, "cargo", "clean").assertOk("clean");
            long start = System.nanoTime();
            CargoRun.run(ws.dir, env, HIDDEN, "cargo", "build").assertOk("warm build");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(List.of(), spy.takeCompiled(), "every crate hits");
            System.out.println("release archive: warm build after cargo clean took " + millis + " ms");

            // The same without the server: every call in a JVM of the bundled runtime.
            CargoRun.run(ws.dir, env, HIDDEN, "cargo", "clean").assertOk("clean");
            Map<String, String> noServer = new HashMap<>(env);
            noServer.put("KACHE_NO_SERVER", "1");
            CargoRun.run(ws.dir, noServer, HIDDEN, "cargo", "build").assertOk("warm build, a JVM per call");
            assertEquals(List.of(), spy.takeCompiled(), "every crate hits without the server too");

            // A second copy of the same release (same jar size and mtime) is another install: its own server.
            Assumptions.assumeTrue(Files.isExecutable(root.resolve("libexec/kache-client")),
                    "no C compiler built kache-client, so this archive starts no server");
            assertEquals(1, sockets(tmp.resolve("server")));
            Path second = Files.createDirectories(tmp.resolve("second copy"));
            CargoRun.run(second, Map.of(), "tar", "xzf", archive().toString()).assertOk("tar");
            Map<String, String> viaSecond = new HashMap<>(env);
            viaSecond.put("RUSTC_WRAPPER", second.resolve(root.getFileName()).resolve("bin/kache").toString());
            CargoRun.run(ws.dir, env, HIDDEN, "cargo", "clean").assertOk("clean");
            CargoRun.run(ws.dir, viaSecond, HIDDEN, "cargo", "build").assertOk("warm build through the second copy");
            assertEquals(List.of(), spy.takeCompiled(), "the second copy shares the store");
            Deadline.in(Duration.ofSeconds(60)).await("the second copy's own server",
                    () -> sockets(tmp.resolve("server")) == 2);
        } finally {
            CargoRun.run(install, Map.of(), "chmod", "-R", "u+w", root.toString());   // so @TempDir can go
        }
    }

    private static long sockets(Path serverDir) {
        try (Stream<Path> files = Files.list(serverDir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".sock")).count();
        } catch (IOException e) {
            return 0;
        }
    }

    /** The archive {@code mvn package} left in this module's target/. */
    private static Path archive() throws IOException {
        Path target = Path.of(System.getProperty("basedir", ".")).resolve("target");
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().matches("kache-.+-linux-.+\\.tar\\.gz"))
                    .findFirst().orElseThrow(() -> new AssertionError("no release archive in " + target
                            + "; mvn package makes it"));
        }
    }
}
