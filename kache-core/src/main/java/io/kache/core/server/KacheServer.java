package io.kache.core.server;

import io.kache.core.Invocation;
import io.kache.core.wrapper.RustcWrapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A long-lived JVM that serves cache hits to the native {@code kache-client}, so a hit costs a
 * socket round trip in a warm JVM instead of a JVM start. It serves hits only: for anything else it
 * answers "miss" and the client runs the ordinary wrapper, which compiles, stores, passes through
 * and reports exactly as without a server. At most one server per socket (a file lock); it exits
 * after an idle period.
 *
 * <p>Answer frames: {@code H}, exit code, stdout, stderr (little-endian 32-bit lengths), or {@code M}.
 */
public final class KacheServer {

    /** How long the server waits for a request before it exits. */
    public static final Duration DEFAULT_IDLE = Duration.ofMinutes(10);

    private final Path socket;
    private final Duration idle;
    private final AtomicLong lastRequest = new AtomicLong(System.nanoTime());
    private final AtomicLong served = new AtomicLong();

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
            if (leftMillis <= 0) {
                try {
                    server.close();
                } catch (IOException ignored) {
                    // Closing only ends the accept loop.
                }
                return;
            }
            try {
                Thread.sleep(Math.min(leftMillis, 1000));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void handle(SocketChannel channel) {
        try (channel; InputStream in = Channels.newInputStream(channel);
             OutputStream out = Channels.newOutputStream(channel)) {
            ServerRequest request = ServerRequest.read(in);
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();
            Invocation inv = new Invocation(request.args(), request.env(), request.cwd(),
                    new ByteArrayInputStream(new byte[0]), new PrintStream(stdout, true, StandardCharsets.UTF_8),
                    new PrintStream(stderr, true, StandardCharsets.UTF_8));
            Optional<Integer> hit = RustcWrapper.serveHit(inv);
            log((hit.isPresent() ? "hit " : "miss ") + String.join(" ", request.args()));
            DataOutputStream answer = new DataOutputStream(out);
            if (hit.isEmpty()) {
                answer.writeByte('M');
            } else {
                served.incrementAndGet();
                answer.writeByte('H');
                answer.writeInt(Integer.reverseBytes(hit.get()));
                frame(answer, stdout.toByteArray());
                frame(answer, stderr.toByteArray());
            }
            answer.flush();
        } catch (IOException | RuntimeException e) {
            // The client reads a broken answer as a miss and runs the ordinary wrapper.
        } finally {
            lastRequest.set(System.nanoTime());
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

    private static void frame(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(Integer.reverseBytes(bytes.length));
        out.write(bytes);
    }

    long served() {
        return served.get();
    }
}
