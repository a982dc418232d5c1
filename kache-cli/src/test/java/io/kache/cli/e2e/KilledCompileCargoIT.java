package io.kache.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.testkit.Deadline;
import io.kache.testkit.SpyRustc;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A build killed while kache records an entry leaves files in the store's {@code tmp/}. They are
 * named by the process that wrote them, so the next {@code kache gc} removes them at once instead
 * of a day later. A build killed while the kache server compiles one of its misses takes that
 * compile with it: rustc stops, nothing is stored, and the next build does not wait for it.
 */
class KilledCompileCargoIT {

    @TempDir
    Path tmp;

    /** The server of a test may still run (it idles out later): stopped before the directory goes. */
    @AfterEach
    void stopTheServers() throws InterruptedException {
        KacheLauncher.stopProcessesOf(tmp);
    }

    @Test
    void gcRemovesAtOnceWhatACompileKilledWhileRecordingLeft() throws Exception {
        Path kache = KacheLauncher.create(Files.createDirectories(tmp.resolve("bin")));
        SpyRustc spy = SpyRustc.create(tmp.resolve("spy"));
        Path store = Files.createDirectories(tmp.resolve("store"));
        DemoWorkspace ws = DemoWorkspace.copyTo(tmp.resolve("ws"), kache, spy, store,
                Files.createDirectories(tmp.resolve("xdg")));
        Path storeTmp = store.resolve("tmp");

        List<String> left;
        // Holding the store lock as a collection would stops every compile inside the recording of
        // its entry, after its temp files are made: the moment to kill the build.
        try (FileChannel lockFile = FileChannel.open(store.resolve("store.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileLock held = lockFile.lock()) {
            ProcessBuilder pb = new ProcessBuilder("cargo", "build").directory(ws.dir.toFile())
                    .redirectOutput(tmp.resolve("cargo.out").toFile()).redirectError(tmp.resolve("cargo.err").toFile());
            pb.environment().putAll(ws.env);
            Process cargo = pb.start();
            try {
                // A recording's own temp (PID-N-RANDOM.dep), not one of the short-lived temps a memo
                // or a journal publish leaves for a moment before its rename.
                Deadline.in(Duration.ofSeconds(120)).await("a compile to wait in the recording of its entry",
                        () -> names(storeTmp).stream().anyMatch(n -> n.endsWith(".dep")));
            } finally {
                kill(cargo);
            }
            left = names(storeTmp);
        }
        assertFalse(left.isEmpty());

        CargoRun.run(ws.dir, ws.env, kache.toString(), "gc").assertOk("kache gc");
        assertEquals(List.of(), names(storeTmp), "gc removed what the killed compiles left: " + left);
    }

    /**
     * cargo killed while the server compiles a crate (Ctrl-C, a cancelled CI job) ends the native
     * client, not the server: the server kills the rustc it ran for nobody, which held the call
     * key's lock, so the same crate in the next build compiles at once (it waited for the dead
     * build's compile to end), and the killed compile is not stored.
     */
    @Test
    void aBuildKilledWhileTheServerCompilesTakesItsRustcWithIt() throws Exception {
        Path kache = KacheLauncher.repositoryLauncher();
        SpyRustc spy = SpyRustc.create(tmp.resolve("spy"));
        Path hold = tmp.resolve("hold");
        SmallWorkspace ws = SmallWorkspace.write(tmp.resolve("ws"), Map.of(
                "Cargo.toml", SmallWorkspace.manifest("slow", "[dependencies]\nholding = { path = \"holding\" }\n"),
                "src/lib.rs", "holding::hold!();\n",
                "holding/Cargo.toml", SmallWorkspace.manifest("holding", "[lib]\nproc-macro = true\n"),
                // Expanding the macro holds rustc while the file is there: a compile as long as the test needs.
                "holding/src/lib.rs", "extern crate proc_macro;\n"
                        + "#[proc_macro]\npub fn hold(_: proc_macro::TokenStream) -> proc_macro::TokenStream {\n"
                        + "    if let Some(f) = std::env::var_os(\"KACHE_TEST_HOLD\") {\n"
                        + "        while std::path::Path::new(&f).exists() {\n"
                        + "            std::thread::sleep(std::time::Duration::from_millis(20));\n"
                        + "        }\n"
                        + "    }\n"
                        + "    \"pub fn held() -> u32 { 7 }\".parse().unwrap()\n"
                        + "}\n"),
                kache, spy, tmp.resolve("store"), Files.createDirectories(tmp.resolve("xdg")));
        ws.env.putAll(KacheLauncher.ownServer(tmp));
        ws.env.put("KACHE_TEST_HOLD", hold.toString());
        Files.writeString(hold, "");
        try {
            ProcessBuilder pb = new ProcessBuilder("cargo", "build").directory(ws.dir.toFile())
                    .redirectOutput(tmp.resolve("cargo.out").toFile()).redirectError(tmp.resolve("cargo.err").toFile());
            pb.environment().putAll(ws.env);
            Process cargo = pb.start();
            try {
                Deadline.in(Duration.ofSeconds(120)).await("rustc to compile the held crate",
                        () -> rustcOf("slow", ws.dir).isPresent());
            } finally {
                kill(cargo);
            }
            // The held rustc would run as long as the file is there: only the server can end it.
            Deadline.in(Duration.ofSeconds(15)).await("the killed build's rustc to be gone",
                    () -> rustcOf("slow", ws.dir).isEmpty());
            assertTrue(ServerCargoIT.serverLog(tmp.resolve("server")).lines()
                    .anyMatch(l -> l.startsWith("the client of ") && l.contains("--crate-name slow ")
                            && l.endsWith(" is gone: stopping it")), ServerCargoIT.serverLog(tmp.resolve("server")));
        } finally {
            Files.deleteIfExists(hold);
        }
        spy.takeCompiled();

        long started = System.nanoTime();
        ws.cargo(Map.of(), "build").assertOk("the next build");
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertEquals(List.of("slow"), spy.takeCompiled(), "the killed compile stored nothing; the proc-macro was stored");
        assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "no wait for the killed build's lock: " + took);
    }

    /**
     * The server killed mid-compile (the OOM killer, a {@code kill -9}) after it passed rustc's
     * metadata notification on to cargo: the client runs the call again in a JVM, and cargo, which
     * panics on a second notification of one crate's metadata when a library depends on it
     * (dependency_queue.rs), must read it once. The build succeeds (found by a hunt: it panicked).
     */
    @Test
    void theServerKilledAfterPassingOnAMetadataNotificationLeavesTheBuildWhole() throws Exception {
        Path kache = KacheLauncher.repositoryLauncher();
        StringBuilder big = new StringBuilder("pub fn v() -> u64 { 7 }\n");
        for (int i = 0; i < 6000; i++) {
            // Code to generate after the metadata is written: the window in which the server dies.
            big.append("#[inline(never)] pub fn h").append(i).append("(x: u64) -> u64 { let mut s = x; for j in 0..")
                    .append(i % 5 + 1).append(" { s = s.wrapping_mul(31).wrapping_add(j ^ ").append(i).append("); } s }\n");
        }
        SmallWorkspace ws = SmallWorkspace.write(tmp.resolve("ws"), Map.of(
                "Cargo.toml", "[workspace]\nmembers = [\"big\", \"mid\", \"app\"]\nresolver = \"2\"\n",
                "big/Cargo.toml", SmallWorkspace.manifest("big", ""),
                "big/src/lib.rs", big.toString(),
                "mid/Cargo.toml", SmallWorkspace.manifest("mid", "[dependencies]\nbig = { path = \"../big\" }\n"),
                "mid/src/lib.rs", "pub fn v() -> u64 { big::v() + 1 }\n",
                "app/Cargo.toml", SmallWorkspace.manifest("app", "[dependencies]\nmid = { path = \"../mid\" }\n"),
                "app/src/main.rs", "fn main() { println!(\"{}\", mid::v()); }\n"),
                kache, SpyRustc.create(tmp.resolve("spy")), tmp.resolve("store"), Files.createDirectories(tmp.resolve("xdg")));
        ws.env.putAll(KacheLauncher.ownServer(tmp));
        ws.cargo(Map.of(), "build").assertOk("the first build, which starts the server");
        Path source = ws.dir.resolve("big/src/lib.rs");
        Files.writeString(source, "// edited\n", StandardOpenOption.APPEND);
        long edited = Files.getLastModifiedTime(source).toMillis();
        ProcessBuilder pb = new ProcessBuilder("cargo", "build").directory(ws.dir.toFile())
                .redirectOutput(tmp.resolve("cargo.out").toFile()).redirectError(tmp.resolve("cargo.err").toFile());
        pb.environment().putAll(ws.env);
        Process cargo = pb.start();
        // cargo compiles mid once it has read big's metadata notification, while big's code is generated.
        Path deps = ws.dir.resolve("target/debug/deps");
        Deadline.in(Duration.ofSeconds(120)).await("mid's new metadata, after big's notification", () -> names(deps)
                .stream().anyMatch(n -> n.startsWith("libmid-") && n.endsWith(".rmeta")
                        && deps.resolve(n).toFile().lastModified() >= edited));
        ProcessHandle server = ProcessHandle.allProcesses()
                .filter(p -> String.join(" ", commandLine(p.pid())).contains(" __server")
                        && String.join(" ", commandLine(p.pid())).contains(tmp.toString()))
                .findFirst().orElseThrow(() -> new AssertionError("no server of this test runs"));
        server.destroyForcibly();
        assertTrue(cargo.waitFor(300, java.util.concurrent.TimeUnit.SECONDS), "cargo ended");
        String err = Files.readString(tmp.resolve("cargo.err"));
        assertEquals(0, cargo.exitValue(), err);
        assertFalse(err.contains("panicked"), err);
        assertEquals("8\n", ws.run(ws.dir.resolve("target/debug/app")));
    }

    /** The real rustc compiling {@code crate} of the workspace in {@code dir}, if one runs. */
    private static Optional<ProcessHandle> rustcOf(String crate, Path dir) {
        return ProcessHandle.allProcesses().filter(p -> {
            List<String> argv = commandLine(p.pid());
            return !argv.isEmpty() && argv.get(0).endsWith("/rustc")
                    && Collections.indexOfSubList(argv, List.of("--crate-name", crate)) >= 0
                    && argv.stream().anyMatch(a -> a.startsWith(dir.toString()));
        }).findFirst();
    }

    private static List<String> commandLine(long pid) {
        try {
            String raw = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                    StandardCharsets.UTF_8);
            return raw.isEmpty() ? List.of() : List.of(raw.split("\0"));
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * Kills every process under cargo (the wrapper JVMs) until cargo gives up and exits: cargo,
     * their parent, reaps them, so none is left a zombie that would still count as alive.
     */
    private static void kill(Process cargo) throws Exception {
        Deadline.in(Duration.ofSeconds(120)).await("cargo to give up", () -> {
            cargo.descendants().forEach(ProcessHandle::destroyForcibly);
            return !cargo.isAlive();
        });
    }

    private static List<String> names(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
