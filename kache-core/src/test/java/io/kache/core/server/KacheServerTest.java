package io.kache.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.core.Invocation;
import io.kache.testkit.Deadline;
import java.io.File;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's directory is its user's alone before anything is made in it, nothing in it is
 * followed through a symlink, and only its own user's processes are served. Real directories,
 * sockets and (where the tests run as root) real other users.
 */
class KacheServerTest {

    private static final long UID = new com.sun.security.auth.module.UnixSystem().getUid();

    @TempDir
    Path tmp;

    private final List<KacheServer> started = new ArrayList<>();

    @AfterEach
    void stopServers() throws IOException {
        for (KacheServer s : started) {
            s.stop();
        }
    }

    @Test
    void createsItsDirectoryForItsUserAloneAndServesItsUser() throws Exception {
        Path dir = tmp.resolve("a/server");
        Path socket = dir.resolve("server-1-2.sock");
        start(socket);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals("M", PeerProbe.ask(socket), "a call of the server's own user is answered");
        assertTrue(Files.readString(dir.resolve("server-1-2.sock.log")).startsWith("declined rustc -vV"));
    }

    /**
     * A command the server was given runs in it with the request's arguments, environment and
     * directory, its output streamed back and its exit code answered; a compiler call still goes to
     * the wrapper.
     */
    @Test
    void runsTheCommandsItWasGivenWithTheRequestsOwnEnvironmentAndDirectory() throws Exception {
        Path dir = tmp.resolve("server");
        Path socket = dir.resolve("server-1-2.sock");
        List<Invocation> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
        start(new KacheServer(socket, Duration.ofMinutes(1), UID, Map.of(), tmp, sync(inv -> {
            ran.add(inv);
            inv.out().print("pulled into " + inv.env().get("KACHE_CACHE_DIR") + " from " + inv.cwd() + "\n");
            inv.err().print("kache sync: pull 1/1 (100%)\n");
            return 3;
        })), socket);

        PeerProbe.Answer answer = PeerProbe.call(socket, "/work/project", List.of("sync", "--pull"),
                List.of("KACHE_CACHE_DIR=/stores/ci", "KACHE_DISABLED=1"));
        assertEquals(new PeerProbe.Answer("pulled into /stores/ci from /work/project\n",
                "kache sync: pull 1/1 (100%)\n", 3), answer);
        assertEquals(List.of("sync", "--pull"), ran.get(0).args());
        assertEquals("M", PeerProbe.ask(socket), "a compiler call is still the wrapper's");
        assertEquals(1, ran.size());
        assertEquals(List.of("ran kache sync --pull", "declined rustc -vV"),
                Files.readAllLines(dir.resolve("server-1-2.sock.log")));
    }

    /**
     * Ctrl-C on {@code kache sync}, or a cancelled CI job, ends its client: the command running for
     * it in the server is interrupted, as it would stop in a JVM of its own, and the server goes on.
     */
    @Test
    void aCommandWhoseClientIsGoneIsInterruptedAndTheServerGoesOn() throws Exception {
        Path dir = tmp.resolve("server");
        Path socket = dir.resolve("server-1-2.sock");
        java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CompletableFuture<String> ended = new java.util.concurrent.CompletableFuture<>();
        start(new KacheServer(socket, Duration.ofMinutes(1), UID, Map.of(), tmp, sync(inv -> {
            if (inv.args().contains("--quick")) {
                return Thread.currentThread().isInterrupted() ? 1 : 0;
            }
            running.countDown();
            try {
                Thread.sleep(60_000);
                ended.complete("ran to its end");
                return 0;
            } catch (InterruptedException e) {
                ended.complete("interrupted");
                return 130;
            }
        })), socket);
        Process client = new ProcessBuilder("sleep", "60").start();
        try (SocketChannel c = PeerProbe.send(socket, "/", List.of("sync", "--pull"), List.of(), client.pid())) {
            assertTrue(running.await(30, java.util.concurrent.TimeUnit.SECONDS), "the command started");
            // The watch looks its client up on the timer's one thread, first thing: once a task queued
            // after it has run, it knows the client (else a client gone before it looked runs unwatched).
            ServerTimer.TIMER.submit(() -> { }).get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertFalse(ended.isDone(), "the client lives: the command runs on");
            client.destroy();
            client.waitFor();
            assertEquals("interrupted", ended.get(10, java.util.concurrent.TimeUnit.SECONDS));
            // No exit code: a client taken for gone that is in fact there must not take 130 for the command's.
            assertEquals(java.util.Optional.empty(), PeerProbe.answer(c), "a stopped command is not answered");
        }
        assertEquals(new PeerProbe.Answer("", "", 0), PeerProbe.call(socket, "/", List.of("sync", "--quick"), List.of()),
                "the server goes on serving (ClientWatchTest: the worker's thread is left uninterrupted)");
        Deadline.in(Duration.ofSeconds(10)).await("the log line", () -> logLines(dir.resolve("server-1-2.sock.log"))
                .contains("the client of kache sync --pull is gone: stopping it"));
    }

    /**
     * A process of the server's own user that connects and sends nothing holds no worker for ever:
     * the server hangs up once the request is late, and then idles out as if it had never come.
     */
    @Test
    void aConnectionThatSendsNoRequestIsClosedAndTheServerStillIdlesOut() throws Exception {
        Path socket = tmp.resolve("server").resolve("server-1-2.sock");
        KacheServer server = new KacheServer(socket, Duration.ofMillis(200), UID);
        started.add(server);
        CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
            try {
                server.serve();
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Deadline.in(Duration.ofSeconds(30)).await("the server to listen", () -> accepts(socket));
        try (SocketChannel silent = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            silent.connect(UnixDomainSocketAddress.of(socket));
            CompletableFuture<Integer> hungUp = CompletableFuture.supplyAsync(() -> {
                try {
                    return java.nio.channels.Channels.newInputStream(silent).read();
                } catch (IOException e) {
                    return -2;
                }
            });
            long waitMillis = RequestDeadline.WITHIN.toMillis() + 10_000;
            assertEquals(-1, hungUp.get(waitMillis, TimeUnit.MILLISECONDS), "the server hung up, unanswered");
            // The connection is still open on this side: the server exits all the same.
            served.get(waitMillis, TimeUnit.MILLISECONDS);
            assertFalse(Files.exists(socket), "the server is gone");
        }
    }

    private static List<String> logLines(Path log) {
        try {
            return Files.readAllLines(log);
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * What a served command logs (the local store's own warnings go through SLF4J's simple logger,
     * to System.err) reaches its client's stderr, from the command's thread and from threads it
     * starts, as from a JVM of its own; the server's stderr gets none of it.
     */
    @Test
    void aServedCommandsLogLinesReachItsClientsStderr() throws Exception {
        Path socket = tmp.resolve("server").resolve("server-1-2.sock");
        start(new KacheServer(socket, Duration.ofMinutes(1), UID, Map.of(), tmp, sync(inv -> {
            org.slf4j.LoggerFactory.getLogger("io.kache.test").warn("from the command");
            Thread pool = new Thread(() -> org.slf4j.LoggerFactory.getLogger("io.kache.test").warn("from its thread"));
            pool.start();
            try {
                pool.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        })), socket);
        PeerProbe.Answer answer = PeerProbe.call(socket, "/", List.of("sync", "--pull"), List.of());
        assertEquals(0, answer.exit());
        assertTrue(answer.stderr().contains("WARN io.kache.test - from the command"), answer.stderr());
        assertTrue(answer.stderr().contains("WARN io.kache.test - from its thread"), answer.stderr());
    }

    /** Commands that serve {@code sync} with {@code body} (its exit status) and nothing else. */
    private static ServerCommands sync(java.util.function.ToIntFunction<Invocation> body) {
        return new ServerCommands() {
            @Override
            public boolean serves(List<String> args) {
                return !args.isEmpty() && args.get(0).equals("sync");
            }

            @Override
            public OptionalInt run(Invocation inv) {
                return serves(inv.args()) ? OptionalInt.of(body.applyAsInt(inv)) : OptionalInt.empty();
            }
        };
    }

    @Test
    void refusesADirectoryOwnedByAnotherUid() throws Exception {
        // Ours on disk, but the server is told it runs as another uid: runs as any user.
        Path dir = ownerOnlyDirectory("other");
        UnsafeServerDirectoryException e = assertThrows(UnsafeServerDirectoryException.class,
                () -> new KacheServer(dir.resolve("s.sock"), Duration.ofMinutes(1), UID + 1).serve());
        assertTrue(e.getMessage().contains("is owned by uid " + UID), e.getMessage());
        assertEmpty(dir);
    }

    @Test
    void refusesADirectoryOfAnotherRealUser() throws Exception {
        assumeRoot();
        Path dir = ownerOnlyDirectory("nobodys");
        Files.setOwner(dir, lookup().lookupPrincipalByName("nobody"));
        assertThrows(UnsafeServerDirectoryException.class, () -> serve(dir.resolve("s.sock")));
        assertEmpty(dir);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    }

    @Test
    void refusesADirectoryOthersCanEnterAndLeavesItsModeAlone() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("open"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        UnsafeServerDirectoryException e = assertThrows(UnsafeServerDirectoryException.class,
                () -> serve(dir.resolve("s.sock")));
        assertTrue(e.getMessage().contains("mode 0777"), e.getMessage());
        assertEmpty(dir);
        assertEquals("rwxrwxrwx", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    }

    @Test
    void refusesASymlinkedDirectory() throws Exception {
        Path real = ownerOnlyDirectory("real");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
        assertThrows(UnsafeServerDirectoryException.class, () -> serve(link.resolve("s.sock")));
        assertEmpty(real);
        assertTrue(Files.isSymbolicLink(link));
    }

    @Test
    void refusesASymlinkAtTheLockNameAndCreatesNothingThroughIt() throws Exception {
        Path dir = ownerOnlyDirectory("server");
        Path victim = tmp.resolve("victim");
        Files.createSymbolicLink(dir.resolve("s.sock.lock"), victim);
        UnsafeServerDirectoryException e = assertThrows(UnsafeServerDirectoryException.class,
                () -> serve(dir.resolve("s.sock")));
        assertTrue(e.getMessage().contains("symbolic link named s.sock.lock"), e.getMessage());
        assertFalse(Files.exists(victim, LinkOption.NOFOLLOW_LINKS), "nothing created through the link");
        assertFalse(Files.exists(dir.resolve("s.sock")), "no socket");
    }

    @Test
    void neverWritesItsLogThroughASymlink() throws Exception {
        Path dir = ownerOnlyDirectory("server");
        Path socket = dir.resolve("s.sock");
        Path victim = tmp.resolve("victim");
        // One planted before the start is removed with the last server's log; one planted later is refused.
        Files.createSymbolicLink(dir.resolve("s.sock.log"), victim);
        start(socket);
        assertFalse(Files.exists(dir.resolve("s.sock.log"), LinkOption.NOFOLLOW_LINKS));
        Files.createSymbolicLink(dir.resolve("s.sock.log"), victim);
        assertEquals("M", PeerProbe.ask(socket), "the call is still answered");
        assertFalse(Files.exists(victim, LinkOption.NOFOLLOW_LINKS), "nothing written through the link");
    }

    @Test
    void refusesAPeerOfAnotherUser() throws Exception {
        assumeRoot();
        Path setpriv = Path.of("/usr/bin/setpriv");
        Assumptions.assumeTrue(Files.isExecutable(setpriv), "no setpriv to run a process as nobody");
        Path dir = tmp.resolve("server");
        Path socket = dir.resolve("s.sock");
        start(socket);
        // As nobody, keeping only the right to pass the 0700 directory: the socket then admits the
        // connection, and the server must turn it away by the peer's credentials.
        String javaCommand = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classes = Path.of(PeerProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                + File.pathSeparator
                + Path.of(ServerRequest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Process p = new ProcessBuilder(setpriv.toString(), "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                "--inh-caps=+dac_override", "--ambient-caps=+dac_override",
                javaCommand, "-XX:-UsePerfData", "-Xshare:auto", "-cp", classes, PeerProbe.class.getName(),
                socket.toString())
                .redirectErrorStream(true).start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        });
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe finished");
        Assumptions.assumeFalse(output.get().contains("setpriv:"), "setpriv cannot switch users here: " + output.get());
        assertEquals("closed", output.get().strip(), "another user's call is closed unanswered");
        assertEquals("M", PeerProbe.ask(socket), "the server's own user is still served");
        List<String> log = Files.readAllLines(dir.resolve("s.sock.log"));
        assertEquals(List.of("refused a peer of nobody", "declined rustc -vV"), log);
    }

    @Test
    void admitsOnlyTheDirectoryOwner() throws Exception {
        ServerDirectory claimed = ServerDirectory.claim(tmp.resolve("server"), UID);
        assertTrue(claimed.admits(Files.getOwner(claimed.path())));
        Path other = Files.createFile(tmp.resolve("other"));
        Assumptions.assumeTrue(UID == 0, "only root can give a file to another user, for a principal of another uid");
        Files.setOwner(other, lookup().lookupPrincipalByName("nobody"));
        assertFalse(claimed.admits(Files.getOwner(other)));
    }

    @Test
    void judgesDirectoriesAsTheClientDoes() {
        assertEquals(Optional.empty(), ServerDirectory.problem(0040700, 1000, 1000));
        assertTrue(ServerDirectory.problem(0040700, 1000, 0).orElseThrow().contains("owned by uid 1000"));
        assertTrue(ServerDirectory.problem(0040750, 1000, 1000).orElseThrow().contains("mode 0750"));
        assertTrue(ServerDirectory.problem(0040701, 1000, 1000).isPresent());
        assertTrue(ServerDirectory.problem(0120777, 1000, 1000).orElseThrow().contains("symbolic link"));
        assertTrue(ServerDirectory.problem(0100600, 1000, 1000).orElseThrow().contains("not a directory"));
        // A uid above 2^31 reads as a negative int from the JDK.
        assertEquals(Optional.empty(), ServerDirectory.problem(0040700, -2, 4294967294L));
    }

    private void start(Path socket) throws InterruptedException {
        start(new KacheServer(socket, Duration.ofMinutes(1), UID), socket);
    }

    private void start(KacheServer server, Path socket) throws InterruptedException {
        started.add(server);
        Thread t = new Thread(() -> {
            try {
                server.serve();
            } catch (IOException | InterruptedException e) {
                // The test sees no socket and says so.
            }
        }, "test-server");
        t.setDaemon(true);
        t.start();
        // Not just the socket file: it appears at bind(), a moment before listen() takes connections.
        Deadline.in(Duration.ofSeconds(30)).await("the server to listen", () -> accepts(socket));
    }

    private static boolean accepts(Path socket) {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Serves in this thread: returns at once when refused, else after a short idle period. */
    private void serve(Path socket) throws Exception {
        KacheServer server = new KacheServer(socket, Duration.ofSeconds(2), UID);
        started.add(server);
        server.serve();
    }

    private Path ownerOnlyDirectory(String name) throws IOException {
        return Files.createDirectory(tmp.resolve(name),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    private static void assumeRoot() {
        Assumptions.assumeTrue(UID == 0, "needs root to act as another user; "
                + "refusesADirectoryOwnedByAnotherUid and judgesDirectoriesAsTheClientDoes cover the logic");
    }

    private static UserPrincipalLookupService lookup() {
        return FileSystems.getDefault().getUserPrincipalLookupService();
    }

    private static void assertEmpty(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.toList(), "nothing created in " + dir);
        }
    }

    /** A malformed idle setting is the default, not a server that cannot start (every call then waited for it). */
    @Test
    void anIdleSettingThatIsNoDurationIsTheDefault() {
        assertEquals(Duration.ofMillis(1500), KacheServer.idleTimeout("1500"));
        assertEquals(Duration.ofMinutes(10), KacheServer.idleTimeout("10m"));
        for (String bad : new String[] {null, "", "ten minutes", "-5", "0", "99999999999999999999"}) {
            assertEquals(KacheServer.DEFAULT_IDLE, KacheServer.idleTimeout(bad), String.valueOf(bad));
        }
    }
}
