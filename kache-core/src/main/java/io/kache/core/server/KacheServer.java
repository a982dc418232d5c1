package io.kache.core.server;

import io.kache.core.Invocation;
import io.kache.core.wrapper.RustcWrapper;
import java.io.ByteArrayInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A long-lived JVM that serves the wrapper calls of the native {@code kache-client}, so a call
 * costs a socket round trip in a warm JVM instead of a JVM start. It serves cacheable compiles —
 * hits, and misses it compiles and stores — with exactly the wrapper's logic; for anything else
 * (probes, passthroughs, a broken configuration) it answers "not mine" before writing anything and
 * the client runs the ordinary wrapper in a JVM. At most one server per socket (a file lock); it
 * exits after an idle period.
 *
 * <p>Answer frames: {@code O}/{@code E} with a chunk of stdout/stderr as it comes, then {@code X}
 * with the exit code; or a lone {@code M}. Lengths and numbers are little-endian 32-bit.
 */
public final class KacheServer {

    /** How long the server waits for a request before it exits. */
    public static final Duration DEFAULT_IDLE = Duration.ofMinutes(10);

    private final Path socket;
    private final Duration idle;
    private final AtomicLong lastRequest = new AtomicLong(System.nanoTime());
    private final AtomicInteger active = new AtomicInteger();

    KacheServer(Path socket, Duration idle) {
        this.socket = socket;
        this.idle = idle;
    }

    /** {@code kache __server SOCKET}: serves until idle. Only started by the native client. */
    public static void main(String[] args) throws IOException, InterruptedException {
        Path socket = Path.of(args[0]);
        String idleMs = System.getenv("KACHE_SERVER_IDLE_MS");
        Duration idle = idleMs == null ? DEFAULT_IDLE : Duration.ofMillis(Long.parseLong(idleMs));
        new KacheServer(socket, idle).serve();
    }

    void serve() throws IOException, InterruptedException {
        Path dir = socket.getParent();
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        try (FileChannel lockFile = FileChannel.open(dir.resolve(socket.getFileName() + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = lockFile.tryLock()) {
            if (lock == null) {
                return;
            }
            Files.deleteIfExists(socket);
            // Each server starts its own log, so the file lives no longer than one idle period's calls.
            Files.deleteIfExists(socket.resolveSibling(socket.getFileName() + ".log"));
            try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                server.bind(UnixDomainSocketAddress.of(socket));
                ExecutorService workers = Executors.newCachedThreadPool(r -> {
                    Thread t = new Thread(r, "kache-server");
                    t.setDaemon(true);
                    return t;
                });
                Thread watchdog = new Thread(() -> exitWhenIdle(server), "kache-server-idle");
                watchdog.setDaemon(true);
                watchdog.start();
                while (server.isOpen()) {
                    SocketChannel client;
                    try {
                        client = server.accept();
                    } catch (IOException closed) {
                        break;
                    }
                    lastRequest.set(System.nanoTime());
                    active.incrementAndGet();
                    workers.execute(() -> handle(client));
                }
                workers.shutdown();
            } finally {
                Files.deleteIfExists(socket);
            }
        }
    }

    private void exitWhenIdle(ServerSocketChannel server) {
        while (true) {
            long quietNanos = System.nanoTime() - lastRequest.get();
            long leftMillis = idle.toMillis() - quietNanos / 1_000_000;
            // A compile in progress is not idleness, however long it takes.
            if (leftMillis <= 0 && active.get() == 0) {
                try {
                    server.close();
                } catch (IOException ignored) {
                    // Closing only ends the accept loop.
                }
                return;
            }
            try {
                Thread.sleep(Math.max(50, Math.min(leftMillis, 1000)));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void handle(SocketChannel channel) {
        try (channel; InputStream in = Channels.newInputStream(channel);
             OutputStream out = Channels.newOutputStream(channel)) {
            ServerRequest request = ServerRequest.read(in);
            DataOutputStream answer = new DataOutputStream(out);
            FrameStream frames = new FrameStream(answer);
            Invocation inv = new Invocation(request.args(), request.env(), request.cwd(),
                    new ByteArrayInputStream(new byte[0]),
                    new PrintStream(frames.channel('O'), true, StandardCharsets.UTF_8),
                    new PrintStream(frames.channel('E'), true, StandardCharsets.UTF_8),
                    OptionalLong.of(request.clientPid()));
            Optional<Integer> exit = RustcWrapper.serve(inv);
            log((exit.isPresent() ? "served " : "declined ") + String.join(" ", request.args()));
            synchronized (frames) {
                if (exit.isEmpty()) {
                    answer.writeByte('M');
                } else {
                    answer.writeByte('X');
                    answer.writeInt(Integer.reverseBytes(exit.get()));
                }
                answer.flush();
            }
        } catch (IOException | RuntimeException e) {
            // The client reads a broken answer as "not served" and runs the ordinary wrapper.
        } finally {
            lastRequest.set(System.nanoTime());
            active.decrementAndGet();
        }
    }

    /** One line per call in {@code SOCKET.log}: what the server served, for diagnosis and tests. */
    private synchronized void log(String line) {
        try {
            Files.writeString(socket.resolveSibling(socket.getFileName() + ".log"), line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // Diagnosis only.
        }
    }
}
