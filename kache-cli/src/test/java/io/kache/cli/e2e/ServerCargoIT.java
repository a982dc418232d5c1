package io.kache.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.testkit.Deadline;
import io.kache.testkit.SpyRustc;
import java.io.File;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fast path as users run it: the repository's {@code bin/kache}, the native client and the
 * kache server. The first call starts the server, which then compiles and stores the misses; a warm
 * build after {@code cargo clean} is served by it, with the same outputs as without a server. A
 * server directory that is not the user's alone is never used, nor a socket another user listens
 * on, and the build goes on without it.
 */
class ServerCargoIT {


    @TempDir
    Path tmp;

    /** A server may still be storing a miss in the background: stopped before the directory goes. */
    @AfterEach
    void stopTheServers() throws InterruptedException {
        KacheLauncher.stopProcessesOf(tmp);
    }

    @Test
    void aWarmBuildIsServedByTheServerWithIdenticalResults() throws Exception {
        SpyRustc spy = SpyRustc.create(tmp.resolve("spy"));
        Path serverDir = tmp.resolve("server");
        DemoWorkspace ws = demoWithServer(spy, serverDir);

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

    /**
     * The build that finds no server starts one and waits for it, so none of its calls runs in a JVM
     * of its own: each compile appears in the server's log; only cargo's probes before its first
     * compile (`rustc -vV`, the target-info probe) may run in the client itself, unchanged, while the
     * server boots. Once it is up, the probes are answered by it: -vV from the banner memo.
     */
    @Test
    void theBuildThatStartsTheServerHasEveryCallServedByIt() throws Exception {
        Path launcher = KacheLauncher.repositoryLauncher();
        SpyRustc spy = SpyRustc.create(tmp.resolve("spy"));
        Path serverDir = tmp.resolve("server");
        DemoWorkspace ws = demoWithServer(spy, serverDir);
        Path calls = tmp.resolve("calls.log");
        Path counting = tmp.resolve("counting-wrapper");
        Files.writeString(counting, "#!/bin/sh\necho \"$*\" >> '" + calls + "'\nexec '" + launcher + "' \"$@\"\n");
        Files.setPosixFilePermissions(counting, PosixFilePermissions.fromString("rwxr-xr-x"));
        ws.env.put("RUSTC_WRAPPER", counting.toString());

        ws.cargo("build").assertOk("cold build, no server yet");
        assertEquals(List.of("app", "build_script_build", "core_lib", "macros"), spy.takeCompiled());
        List<String> made = Files.readAllLines(calls);
        String log = serverLog(serverDir);
        List<String> answered = log.lines().filter(l -> l.startsWith("served ") || l.startsWith("answered ")
                || l.startsWith("handed back ")).toList();
        List<String> compiles = made.stream().filter(c -> !isProbe(c)).toList();
        assertEquals(4, compiles.size(), made.toString());
        assertEquals(compiles.size(), answered.stream().filter(l -> !isProbe(l)).count(),
                "every compile of the build went through the server: " + log);
        assertTrue(answered.size() <= made.size(), log);

        ws.cargo("clean").assertOk("clean");
        Files.delete(calls);
        ws.cargo("build").assertOk("warm build, the server up");
        assertEquals(List.of(), spy.takeCompiled());
        String later = serverLog(serverDir).substring(log.length());
        assertEquals(Files.readAllLines(calls).size(), later.lines().filter(l -> l.startsWith("served ")
                || l.startsWith("answered ") || l.startsWith("handed back ")).count(), "every call, probes too: " + later);
        List<String> probes = later.lines().filter(l -> l.endsWith(" -vV")).toList();
        assertFalse(probes.isEmpty(), later);
        assertTrue(probes.stream().allMatch(l -> l.startsWith("answered (-vV is not a compile) ")),
                "cargo's rustc -vV probes are answered from the banner memo, rustc never started for them: " + later);
    }

    private static boolean isProbe(String call) {
        return call.endsWith(" -vV") || call.contains(" --crate-name ___ ");
    }

    /**
     * cargo's target-info probe (`rustc - --crate-name ___ --print=…`), which it asks again after every
     * `cargo clean`, is run once by the server in the background and then answered from that run:
     * byte for byte what the compiler prints, and the build after it is the same.
     */
    @Test
    void cargosTargetInfoProbeIsAnsweredFromTheServersOwnRunOfIt() throws Exception {
        SpyRustc spy = SpyRustc.create(tmp.resolve("spy"));
        Path serverDir = tmp.resolve("server");
        DemoWorkspace ws = demoWithServer(spy, serverDir);
        ws.cargo("build").assertOk("cold build");
        spy.takeCompiled();
        String expected = ws.runApp(ws.dir.resolve("target"), "debug");
        // The build that starts the server may run its probe while the server boots: one more with it up.
        ws.cargo("clean").assertOk("clean");
        ws.cargo("build").assertOk("warm build, the server up");
        Path memos = tmp.resolve("store/memos");
        Deadline.in(Duration.ofSeconds(60)).await("the probe's answer to be remembered", () -> targetInfoMemo(memos).isPresent());
        String first = probeLine(serverLog(serverDir), 0);
        assertTrue(first.startsWith("handed back "), "the first probe ran as it came: " + first);

        ws.cargo("clean").assertOk("clean");
        ws.cargo("build").assertOk("warm build");
        assertEquals(List.of(), spy.takeCompiled(), "nothing compiled");
        assertEquals(expected, ws.runApp(ws.dir.resolve("target"), "debug"));
        String second = lastProbeLine(serverLog(serverDir));
        assertTrue(second.startsWith("answered "), "the probe after cargo clean was answered: " + second);

        // The answer is the compiler's own output for that very command.
        List<String> command = List.of(second.substring(second.indexOf(") ") + 2).split(" "));
        Process p = new ProcessBuilder(command).directory(ws.dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] actual = p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor());
        // The memo is sealed: the answer follows its one header line.
        String memo = Files.readString(targetInfoMemo(memos).orElseThrow());
        assertTrue(memo.startsWith("kache-memo 1 "), memo);
        assertEquals(new String(actual, StandardCharsets.UTF_8), memo.substring(memo.indexOf('\n') + 1));
    }

    static Optional<Path> targetInfoMemo(Path memos) {
        try (Stream<Path> files = Files.list(memos)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".targetinfo")).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The server's log line of cargo's last target-info probe. */
    private static String lastProbeLine(String log) {
        List<String> probes = log.lines().filter(l -> l.contains(" --crate-name ___ ")).toList();
        assertFalse(probes.isEmpty(), log);
        return probes.get(probes.size() - 1);
    }

    /** The server's log line of cargo's {@code n}th target-info probe. */
    private static String probeLine(String log, int n) {
        List<String> probes = log.lines().filter(l -> l.contains(" --crate-name ___ ")).toList();
        assertTrue(probes.size() > n, log);
        return probes.get(n);
    }

    @Test
    void aServerDirectoryOthersCanEnterIsNeverUsed() throws Exception {
        Path launcher = KacheLauncher.repositoryLauncher();
        Path open = Files.createDirectories(tmp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
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

    @Test
    void aServerDirectoryOfAnotherUserIsNeverUsed() throws Exception {
        Assumptions.assumeTrue(isRoot(), "only root can give a directory to another user; KacheServerTest"
                + ".refusesADirectoryOwnedByAnotherUid covers the server's check as any user");
        Path launcher = KacheLauncher.repositoryLauncher();
        Path foreign = ownerOnlyDirectory(tmp.resolve("foreign"));
        Files.setOwner(foreign, foreign.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        DemoWorkspace ws = buildWithServerDirectory(launcher, foreign);
        assertEmpty(foreign);

        // The server on its own, as if it won a race with the directory's creation: it says no and makes nothing.
        CargoRun.Result server = startServerByHand(launcher, ws, foreign.resolve(socketName(launcher)));
        assertEquals(1, server.exitCode(), server.stderr());
        assertEquals("", server.stdout());
        assertTrue(server.stderr().contains("is owned by uid " + Files.getAttribute(foreign, "unix:uid")), server.stderr());
        assertEmpty(foreign);
    }

    @Test
    void aSymlinkedServerDirectoryIsNeverFollowed() throws Exception {
        Path launcher = KacheLauncher.repositoryLauncher();
        Path real = ownerOnlyDirectory(tmp.resolve("real"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
        DemoWorkspace ws = buildWithServerDirectory(launcher, link);
        assertEmpty(real);
        CargoRun.Result server = startServerByHand(launcher, ws, link.resolve(socketName(launcher)));
        assertEquals(1, server.exitCode(), server.stderr());
        assertEquals("", server.stdout());
        assertTrue(server.stderr().contains("is a symbolic link"), server.stderr());
        assertEmpty(real);
        assertTrue(Files.isSymbolicLink(link));
    }

    /**
     * A server's files take the umask of the process that started it, and a JVM cannot change it
     * per call: a build under another umask gets a server of its own, so what its misses compile
     * has the modes that build asked for, as without a server.
     */
    @Test
    void eachUmaskHasItsOwnServerSoAMissGetsTheCallersModes() throws Exception {
        Path dir = ownerOnlyDirectory(tmp.resolve("server"));
        DemoWorkspace ws = demoWithServer(SpyRustc.create(tmp.resolve("spy")), dir);
        CargoRun.run(ws.dir, ws.env, "sh", "-c", "umask 022 && exec cargo build").assertOk("build under umask 022");
        Map<String, String> missEverything = new HashMap<>(ws.env);
        missEverything.put("KACHE_CACHE_DIR", tmp.resolve("other-store").toString());
        ws.cargo("clean").assertOk("cargo clean");
        CargoRun.run(ws.dir, missEverything, "sh", "-c", "umask 077 && exec cargo build").assertOk("build under umask 077");
        // The logs, which outlive their servers (the first may have idled out by now).
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("m022", "m077"), files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".sock.log")).map(n -> n.substring(n.lastIndexOf('-') + 1, n.length() - 9))
                    .sorted().toList(), "one server per umask");
        }
        try (Stream<Path> rlibs = Files.list(ws.dir.resolve("target/debug/deps"))) {
            List<Path> found = rlibs.filter(p -> p.getFileName().toString().endsWith(".rlib")).toList();
            assertFalse(found.isEmpty());
            for (Path rlib : found) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(rlib)), rlib.toString());
            }
        }
        assertTrue(Files.readString(serverLog(dir, "m077")).contains("served"), "the misses were served");
    }

    private static Path serverLog(Path dir, String umask) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith("-" + umask + ".sock.log")).findFirst().orElseThrow();
        }
    }

    @Test
    void aSymlinkPlantedAtTheLockNameIsNeverFollowed() throws Exception {
        Path launcher = KacheLauncher.repositoryLauncher();
        Path dir = ownerOnlyDirectory(tmp.resolve("server"));
        String socket = socketName(launcher);
        Path victim = tmp.resolve("victim-lock");
        Files.createSymbolicLink(dir.resolve(socket + ".lock"), victim);
        DemoWorkspace ws = buildWithServerDirectory(launcher, dir);
        // Deterministic where the background starts of the build are not: one start, awaited.
        CargoRun.Result server = startServerByHand(launcher, ws, dir.resolve(socket));
        assertEquals(1, server.exitCode(), server.stderr());
        assertEquals("", server.stdout());
        assertTrue(server.stderr().contains("symbolic link named " + socket + ".lock"), server.stderr());
        assertFalse(Files.exists(victim, LinkOption.NOFOLLOW_LINKS), "nothing created through the link");
        assertFalse(Files.exists(dir.resolve(socket)), "no socket");
    }

    @Test
    void aSymlinkPlantedAtTheLogNameIsNeverFollowed() throws Exception {
        Path launcher = KacheLauncher.repositoryLauncher();
        Path dir = ownerOnlyDirectory(tmp.resolve("server"));
        String socket = socketName(launcher);
        Path victim = tmp.resolve("victim-log");
        Files.createSymbolicLink(dir.resolve(socket + ".log"), victim);
        buildWithServerDirectory(launcher, dir);
        Deadline.in(Duration.ofSeconds(60)).await("the server to listen", () -> hasSocket(dir));
        assertFalse(Files.exists(victim, LinkOption.NOFOLLOW_LINKS), "nothing written through the link");
        assertFalse(Files.isSymbolicLink(dir.resolve(socket + ".log")), "the planted link is gone");
    }

    /**
     * Another user listening on the server's socket (made there while the directory was missing, or
     * in a directory swapped in after the client looked, as a reviewer's exploit did): the client
     * connects, finds out whose socket it is and sends nothing — not the environment with its
     * secrets — and the call runs as without a server, answered by the compiler, not the listener.
     */
    @Test
    void aSocketOfAnotherUserIsSentNothing() throws Exception {
        Assumptions.assumeTrue(isRoot(), "only root can listen as another user; KacheServerTest"
                + ".refusesAPeerOfAnotherUser covers the server's side of the same check");
        Path setpriv = Path.of("/usr/bin/setpriv");
        Assumptions.assumeTrue(Files.isExecutable(setpriv), "no setpriv to listen as another user");
        Path launcher = KacheLauncher.repositoryLauncher();
        // The client's own directory, which passes its look: only the socket in it is another user's.
        Path dir = ownerOnlyDirectory(tmp.resolve("server"));
        BlockingQueue<String> heard = new LinkedBlockingQueue<>();
        Process listener = listenAsNobody(setpriv, dir.resolve(socketName(launcher)), heard);
        try {
            Map<String, String> env = Map.of("KACHE_SERVER_DIR", dir.toString(),
                    "KACHE_CACHE_DIR", tmp.resolve("store").toString(),
                    "XDG_CONFIG_HOME", Files.createDirectories(tmp.resolve("xdg")).toString(),
                    "AWS_SECRET_ACCESS_KEY", "kache-test-secret");
            CargoRun.Result call = CargoRun.run(tmp, env, launcher.toString(), "rustc", "-vV");
            String rustc = CargoRun.run(tmp, Map.of(), "rustc", "-vV").assertOk("rustc -vV").stdout();
            assertEquals(0, call.exitCode(), call.stderr());
            assertEquals(rustc, call.stdout(), "the compiler's answer, not the listener's");
            assertEquals("received 0 bytes", heard.poll(30, TimeUnit.SECONDS), "connected, and sent nothing");
            assertNull(heard.poll(), "one connection");
        } finally {
            listener.destroyForcibly();
        }
    }

    /**
     * A server that closes the connection while the client still writes its request (it exited idle
     * between the connect and the write, died, or refused a request past its limits): the client gets
     * EPIPE and runs the call in a JVM of its own. A SIGPIPE killed it, and the build with it.
     */
    @Test
    void aServerThatHangsUpDuringTheRequestCostsAFallbackNotTheCall() throws Exception {
        Path launcher = KacheLauncher.repositoryLauncher();
        Path dir = ownerOnlyDirectory(tmp.resolve("server"));
        java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
        try (java.nio.channels.ServerSocketChannel server =
                     java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            server.bind(java.net.UnixDomainSocketAddress.of(dir.resolve(socketName(launcher))));
            Thread hangingUp = new Thread(() -> {
                while (true) {
                    try (java.nio.channels.SocketChannel client = server.accept()) {
                        accepted.incrementAndGet();   // and closed at once, before the request is read
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "hanging-up");
            hangingUp.setDaemon(true);
            hangingUp.start();
            Map<String, String> env = new java.util.HashMap<>(Map.of("KACHE_SERVER_DIR", dir.toString(),
                    "KACHE_CACHE_DIR", tmp.resolve("store").toString(),
                    "XDG_CONFIG_HOME", Files.createDirectories(tmp.resolve("xdg")).toString()));
            // A request far larger than the socket's buffer, so the client is still writing when the
            // server hangs up.
            for (int i = 0; i < 12; i++) {
                env.put("KACHE_TEST_BULK_" + i, "x".repeat(100_000));
            }
            CargoRun.Result call = CargoRun.run(tmp, env, launcher.toString(), "rustc", "-vV");
            String rustc = CargoRun.run(tmp, Map.of(), "rustc", "-vV").assertOk("rustc -vV").stdout();
            assertEquals(0, call.exitCode(), call.stderr());
            assertEquals(rustc, call.stdout(), "the compiler's answer, through the fallback");
            assertTrue(accepted.get() >= 1, "the client did reach the hanging-up server");
        }
    }

    /**
     * {@link ForeignListener} on {@code socket} as user nobody, once it listens; what it says after
     * that goes to {@code heard}. Skips where setpriv cannot switch users.
     */
    private static Process listenAsNobody(Path setpriv, Path socket, BlockingQueue<String> heard) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classes = Path.of(ForeignListener.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        // Keeping only the right to pass the test's 0700 directories, to bind the socket in the client's.
        Process p = new ProcessBuilder(setpriv.toString(), "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                "--inh-caps=+dac_override", "--ambient-caps=+dac_override",
                java, "-XX:-UsePerfData", "-Xshare:auto", "-cp", classes, ForeignListener.class.getName(),
                socket.toString())
                .redirectErrorStream(true).start();
        CompletableFuture<String> first = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (java.io.BufferedReader in = p.inputReader()) {
                first.complete(in.readLine());
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    heard.add(line);
                }
            } catch (IOException e) {
                first.complete(e.toString()); // else the listener was stopped
            }
        }, "foreign-listener");
        reader.setDaemon(true);
        reader.start();
        String said = first.get(60, TimeUnit.SECONDS);
        if (!"listening".equals(said)) {
            p.destroyForcibly();
            Assumptions.assumeFalse(String.valueOf(said).contains("setpriv:"), "setpriv cannot switch users here: " + said);
            throw new AssertionError("the listener did not start: " + said);
        }
        return p;
    }

    /**
     * The directory is the user's alone when the client looks, and open to others by the time it
     * finds no server there (another user's directory made or swapped in between, as a reviewer's
     * exploit did): the client neither starts a server there nor waits for one — a socket that
     * appears there may be anyone's — and the call runs as without a server. The client is
     * held in its connect, behind a listener whose queue is full, while the directory changes.
     */
    @Test
    void aDirectoryOpenedToOthersBeforeTheStartGetsNoServer() throws Exception {
        Path launcher = KacheLauncher.repositoryLauncher();
        Path target = launcher.getParent().getParent().resolve("kache-cli/target");
        Path dir = ownerOnlyDirectory(tmp.resolve("server"));
        Path socket = dir.resolve(socketName(launcher));
        Path starts = tmp.resolve("starts.log");
        Path counting = tmp.resolve("counting-launcher");
        Files.writeString(counting, "#!/bin/sh\ncase \" $* \" in *\" __server \"*) echo start >> '" + starts
                + "';; esac\nexec '" + launcher + "' \"$@\"\n");
        Files.setPosixFilePermissions(counting, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessBuilder client = new ProcessBuilder(target.resolve("kache-client").toString(), "--kache-launcher",
                counting.toString(), jar(launcher).toString(), "rustc", "-vV")
                .directory(tmp.toFile())
                .redirectOutput(tmp.resolve("call.out").toFile())
                .redirectError(tmp.resolve("call.err").toFile());
        client.environment().putAll(Map.of("KACHE_SERVER_DIR", dir.toString(),
                "KACHE_CACHE_DIR", tmp.resolve("store").toString(),
                "XDG_CONFIG_HOME", Files.createDirectories(tmp.resolve("xdg")).toString()));
        Process call;
        try (ServerSocketChannel full = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            full.bind(UnixDomainSocketAddress.of(socket), 1);
            // listen(1) queues two connections nobody accepts; a third waits in connect.
            try (SocketChannel first = connect(socket); SocketChannel second = connect(socket)) {
                call = client.start();
                Path callWchan = Path.of("/proc", Long.toString(call.pid()), "wchan");
                Deadline limit = Deadline.in(Duration.ofSeconds(30));
                while (call.isAlive() && !readOrEmpty(callWchan).equals("unix_wait_for_peer") && !limit.expired()) {
                    Thread.sleep(10);
                }
                assertTrue(call.isAlive(), "the call waits in connect, behind the full queue");
                Assumptions.assumeTrue(readOrEmpty(callWchan).equals("unix_wait_for_peer"),
                        "this kernel does not say where a process waits: /proc/PID/wchan reads " + readOrEmpty(callWchan));
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
                Files.delete(socket);
            }
        } // the listener closes: the call's connect finds no server, in a directory others can enter
        assertTrue(call.waitFor(60, TimeUnit.SECONDS), "the call ended");
        String out = Files.readString(tmp.resolve("call.out"));
        String err = Files.readString(tmp.resolve("call.err"));
        assertEquals(0, call.exitValue(), err);
        assertEquals(CargoRun.run(tmp, Map.of(), "rustc", "-vV").assertOk("rustc -vV").stdout(), out);
        assertFalse(Files.exists(starts), "no server started in a directory others can enter");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.toList(), "nothing made in it");
        }
    }

    private static SocketChannel connect(Path socket) throws IOException {
        SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
        c.connect(UnixDomainSocketAddress.of(socket));
        return c;
    }

    private static String readOrEmpty(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            return "";
        }
    }

    /** A cold build of the demo with the server directory {@code serverDir}: it succeeds, whatever the server does. */
    private DemoWorkspace buildWithServerDirectory(Path launcher, Path serverDir) throws Exception {
        SpyRustc spy = SpyRustc.create(tmp.resolve("spy"));
        DemoWorkspace ws = DemoWorkspace.copyTo(tmp.resolve("ws"), launcher, spy, tmp.resolve("store"),
                Files.createDirectories(tmp.resolve("xdg")));
        ws.env.put("KACHE_SERVER_DIR", serverDir.toString());
        ws.env.put("KACHE_SERVER_IDLE_MS", "20000");
        ws.cargo("build").assertOk("build with server directory " + serverDir);
        assertEquals("Hello, kache generated=42 flavor=plain tokens=3\n", ws.runApp(ws.dir.resolve("target"), "debug"));
        return ws;
    }

    /** {@code kache __server SOCKET} run in the foreground, as the client starts it, with a short idle period. */
    private static CargoRun.Result startServerByHand(Path launcher, DemoWorkspace ws, Path socket) throws Exception {
        Map<String, String> env = new HashMap<>(ws.env);
        env.put("KACHE_SERVER_IDLE_MS", "2000");
        return CargoRun.run(ws.dir, env, launcher.toString(), "--kache-jvm", "__server", socket.toString());
    }

    /** This JVM's umask, in the three octal digits of the socket's name: the servers it starts inherit it. */
    private static String umask() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Umask:"))
                .map(l -> l.substring(6).trim()).map(m -> String.format("%03o", Integer.parseInt(m, 8)))
                .findFirst().orElseThrow();
    }

    /**
     * The socket's name as kache-client makes it: the size, mtime (seconds), device and inode of the
     * jar bin/kache runs, and the caller's umask.
     */
    private static String socketName(Path launcher) throws IOException {
        Path jar = jar(launcher);
        return "server-" + Files.size(jar) + "-" + Files.getLastModifiedTime(jar).to(TimeUnit.SECONDS) + "-"
                + Long.toHexString((Long) Files.getAttribute(jar, "unix:dev")) + "-"
                + Long.toHexString((Long) Files.getAttribute(jar, "unix:ino")) + "-m" + umask() + ".sock";
    }

    /** The kache-cli jar bin/kache runs, as it finds it. */
    private static Path jar(Path launcher) throws IOException {
        Path target = launcher.getParent().getParent().resolve("kache-cli/target");
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith("kache-cli-") && n.endsWith(".jar") && !n.endsWith("-sources.jar")
                        && !n.endsWith("-javadoc.jar") && !n.endsWith("-tests.jar");
            }).sorted().findFirst().orElseThrow();
        }
    }

    private static Path ownerOnlyDirectory(Path dir) throws IOException {
        return Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    private static boolean isRoot() {
        return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    }

    private static void assertEmpty(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.toList(), "nothing created in " + dir);
        }
    }

    /** The demo workspace built through this checkout's bin/kache, its server in {@code serverDir}. */
    private DemoWorkspace demoWithServer(SpyRustc spy, Path serverDir) throws Exception {
        DemoWorkspace ws = DemoWorkspace.copyTo(tmp.resolve("ws"), KacheLauncher.repositoryLauncher(), spy,
                tmp.resolve("store"), Files.createDirectories(tmp.resolve("xdg")));
        ws.env.put("KACHE_SERVER_DIR", serverDir.toString());
        ws.env.put("KACHE_SERVER_IDLE_MS", "20000");
        return ws;
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
