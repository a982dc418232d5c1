package io.kache.core.server;

import io.kache.core.Invocation;
import io.kache.core.hash.Sha256WarmUp;
import io.kache.core.wrapper.BackgroundStores;
import io.kache.core.wrapper.CallOutcome;
import io.kache.core.wrapper.OpenRemotes;
import io.kache.core.wrapper.RustcWrapper;
import io.kache.core.wrapper.WrapperLog;
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
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * A long-lived JVM that serves the wrapper calls of the native {@code kache-client}, so a call
 * costs a socket round trip in a warm JVM instead of a JVM start. It serves cacheable compiles —
 * hits, and misses it compiles and stores — with exactly the wrapper's logic; for anything else
 * (probes, passthroughs, a broken configuration) it answers "not mine" before writing anything and
 * the client runs the ordinary wrapper in a JVM. It also runs the kache commands it was given
 * ({@link ServerCommands}: {@code kache sync}), whose work gains most from a warm JIT and which a
 * build often follows. At most one server per socket (a file lock); it exits after an idle period,
 * never while a call or a command runs, and a connection whose request does not come in time is
 * closed ({@link RequestDeadline}), so it cannot keep the server for ever.
 *
 * <p>Another local user can neither steer nor use it: it starts only in a directory that is its
 * user's alone ({@link ServerDirectory}) and serves only peers of that user ({@code SO_PEERCRED}).
 * Otherwise it does not start, and every call runs in a JVM as without a server.
 *
 * <p>Answer frames: {@code O}/{@code E} with a chunk of stdout/stderr as it comes, then {@code X}
 * with the exit code; or a lone {@code M}. Lengths and numbers are little-endian 32-bit.
 */
public final class KacheServer {

    /** How long an exiting server waits for the stores still in flight. */
    private static final Duration STORE_DRAIN = Duration.ofSeconds(60);

    /** How long the server waits for a request before it exits. */
    public static final Duration DEFAULT_IDLE = Duration.ofMinutes(10);

    /** How long a server that stops waits for the calls in progress before it closes its remotes. */
    private static final Duration CALLS_FINISH = Duration.ofMinutes(1);

    private final Path socket;
    private final Duration idle;
    private final long uid;
    /** The environment and directory the server was started in (its first call's), for its remote. */
    private final Map<String, String> startEnv;
    private final Path startCwd;
    private final ServerCommands commands;
    private final AtomicLong lastRequest = new AtomicLong(System.nanoTime());
    private final AtomicInteger active = new AtomicInteger();
    private volatile ServerSocketChannel listening;
    private volatile boolean debugOn;

    /**
     * @param socket the socket's path; its parent is the server's directory
     * @param idle how long to wait for a request before exiting
     * @param uid the user the server is: its directory must be this uid's alone
     */
    KacheServer(Path socket, Duration idle, long uid) {
        this(socket, idle, uid, Map.of(), Path.of(""));
    }

    /**
     * @param startEnv the environment the server was started in (its first call's): the remote it
     *     configures is opened at once, not at the first served call
     * @param startCwd the directory it was started in
     */
    KacheServer(Path socket, Duration idle, long uid, Map<String, String> startEnv, Path startCwd) {
        this(socket, idle, uid, startEnv, startCwd, ServerCommands.NONE);
    }

    /** @param commands kache's own commands the server runs, beside compiler calls */
    KacheServer(Path socket, Duration idle, long uid, Map<String, String> startEnv, Path startCwd,
                ServerCommands commands) {
        this.commands = commands;
        this.socket = socket.toAbsolutePath();
        this.idle = idle;
        this.uid = uid;
        this.startEnv = Map.copyOf(startEnv);
        this.startCwd = startCwd;
    }

    /**
     * {@code kache __server SOCKET}: serves until idle. Only started by the native client, with its
     * output on /dev/null; a refusal is said on stderr for whoever runs it by hand, and the exit
     * status is 1.
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        main(args, ServerCommands.NONE);
    }

    /** {@link #main(String[])}, also running {@code commands} for its clients. */
    public static void main(String[] args, ServerCommands commands) throws IOException, InterruptedException {
        Path socket = Path.of(args[0]);
        Duration idle = idleTimeout(System.getenv("KACHE_SERVER_IDLE_MS"));
        // The real uid, as the client's getuid(): the two must agree on whose directory it is.
        long uid = new com.sun.security.auth.module.UnixSystem().getUid();
        try {
            new KacheServer(socket, idle, uid, io.kache.core.CallerEnvironment.current(), Path.of("").toAbsolutePath(),
                    commands).serve();
        } catch (UnsafeServerDirectoryException e) {
            System.err.println("kache: no server: " + e.getMessage());
            System.exit(1);
        }
    }

    /**
     * {@code KACHE_SERVER_IDLE_MS}: milliseconds, or a duration as the config writes one ({@code 10m});
     * anything else is the default, since a server that cannot start would make every call of every
     * build wait for it and then start a JVM of its own.
     */
    static Duration idleTimeout(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_IDLE;
        }
        try {
            long ms = Long.parseLong(value.strip());
            return ms > 0 ? Duration.ofMillis(ms) : DEFAULT_IDLE;
        } catch (NumberFormatException notMillis) {
            try {
                Duration d = io.kache.core.config.DurationValue.parse(value);
                return d.isZero() ? DEFAULT_IDLE : d;
            } catch (IllegalArgumentException e) {
                System.err.println("kache: KACHE_SERVER_IDLE_MS=" + value + " is not a duration; the server idles "
                        + DEFAULT_IDLE.toMillis() + " ms");
                return DEFAULT_IDLE;
            }
        }
    }

    void serve() throws IOException, InterruptedException {
        ServerDirectory dir = ServerDirectory.claim(socket.getParent(), uid);
        // Notices of served calls reach the user through the build's own stderr; the log keeps them with their call.
        io.kache.core.wrapper.UserNotices.logTo(line -> log(dir, line));
        debugIfAsked(dir, startEnv);
        String name = socket.getFileName().toString();
        try (FileChannel lockFile = dir.openLock(name + ".lock");
             FileLock lock = lockFile.tryLock()) {
            if (lock == null) {
                return;
            }
            dir.delete(name);
            // The client's mark of a start under way (kache-client's claim_start): this start is done.
            dir.delete(name + ".starting");
            // Each server starts its own log, so the file lives no longer than one idle period's calls.
            dir.delete(name + ".log");
            // A miss is handed back to cargo once its outputs are pinned; storing them follows.
            BackgroundStores.enable();
            CommandStderr.install();
            Sha256WarmUp.startInBackground();
            // The remotes the calls read through: opened once for the server's life (an S3 client per
            // call would cost more than the lookup), closed when it ends.
            try (OpenRemotes remotes = OpenRemotes.forServer();
                 ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                remotes.openAheadFor(startEnv, startCwd);
                server.bind(UnixDomainSocketAddress.of(socket));
                listening = server;
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
                    workers.execute(() -> handle(dir, remotes, client));
                }
                workers.shutdown();
                // Calls in progress finish with the remotes open: closed under one, a read would fail
                // and silence the remote for the next builds.
                workers.awaitTermination(CALLS_FINISH.toMillis(), TimeUnit.MILLISECONDS);
            } finally {
                dir.delete(name);
            }
            // Not before the stores in flight are done: their pins and the entries they publish would be
            // lost with the JVM (only a miss later, but a build that just ran expects its entries).
            BackgroundStores.awaitIdle(STORE_DRAIN.toMillis());
        }
    }

    /** Ends the accept loop, as an idle period would; calls in progress finish. */
    void stop() throws IOException {
        ServerSocketChannel server = listening;
        if (server != null) {
            server.close();
        }
    }

    private void exitWhenIdle(ServerSocketChannel server) {
        while (true) {
            long quietNanos = System.nanoTime() - lastRequest.get();
            long leftMillis = idle.toMillis() - quietNanos / 1_000_000;
            // A compile in progress is not idleness, however long it takes; nor is storing one.
            if (leftMillis <= 0 && active.get() == 0 && BackgroundStores.inFlight() == 0) {
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

    private void handle(ServerDirectory dir, OpenRemotes remotes, SocketChannel channel) {
        try (channel; InputStream in = Channels.newInputStream(channel);
             OutputStream out = Channels.newOutputStream(channel)) {
            Optional<UserPrincipal> peer = peer(channel);
            if (peer.isEmpty() || !dir.admits(peer.get())) {
                // Closed unanswered: a peer of another user learns nothing and gets nothing done.
                log(dir, "refused a peer of " + peer.map(UserPrincipal::getName).orElse("an unknown user"));
                return;
            }
            ServerRequest request = RequestDeadline.read(channel, in);
            debugIfAsked(dir, request.env());
            DataOutputStream answer = new DataOutputStream(out);
            FrameStream frames = new FrameStream(answer);
            Invocation inv = new Invocation(request.args(), request.env(), request.cwd(),
                    new ByteArrayInputStream(new byte[0]),
                    new PrintStream(frames.channel('O'), true, StandardCharsets.UTF_8),
                    new PrintStream(frames.channel('E'), true, StandardCharsets.UTF_8),
                    OptionalLong.of(request.clientPid()));
            // A command ends with its client (Ctrl-C, a cancelled job), as it would in a JVM of its own.
            // Its log lines too reach the client's stderr, as from a JVM of its own (CommandStderr).
            // A call stopped so (ClientWatch.Stopped) gets no answer: a client taken for gone that is in
            // fact there (another pid namespace) reads a broken answer and runs the call itself, rather
            // than take the stop's exit code for the call's.
            boolean command = commands.serves(request.args());
            if (!command && !request.exact()) {
                // Not valid UTF-8 (a stray byte in a variable): only the client has the bytes as they are.
                log(dir, "handed back (" + request.notUtf8().orElseThrow() + " is not UTF-8) "
                        + String.join(" ", request.args()));
                conclude(frames, answer, OptionalInt.empty(), 'P');
                RustcWrapper.handedBackNotUtf8(inv, request.notUtf8().orElseThrow()); // after: costs the call nothing
                return;
            }
            Runnable stopped = () -> log(dir, "the client of " + (command ? "kache " : "") + String.join(" ", request.args())
                    + " is gone: stopping it");
            OptionalInt exit = !command ? OptionalInt.empty()
                    : ClientWatch.run(request.clientPid(), () -> CommandStderr.during(inv.err(), () -> commands.run(inv)),
                            stopped);
            String what = "ran kache ";
            // P: the client execs the call itself, unchanged; M: the client runs the JVM wrapper,
            // which says why kache is not ready (a declined call wrote nothing).
            char otherwise = 'M';
            if (exit.isEmpty()) {
                // The wrapper's own setup; the server runs only what is kache's to run, a cacheable call.
                CallOutcome outcome = RustcWrapper.prepare(inv, remotes);
                // A build killed mid-compile (Ctrl-C, a cancelled CI job) takes its client with it, not the
                // server, whose rustc would go on for nobody, holding the call key's lock that the same call
                // of the next build waits for: stopped, the call kills rustc, stores nothing, lets the lock go.
                exit = outcome instanceof CallOutcome.Cacheable cacheable
                        ? ClientWatch.run(request.clientPid(), () -> OptionalInt.of(cacheable.run()), stopped)
                        : outcome instanceof CallOutcome.Answered answered ? OptionalInt.of(answered.answer(inv))
                        : OptionalInt.empty();
                what = outcome instanceof CallOutcome.Answered a ? "answered (" + a.reason() + ") "
                        : exit.isPresent() ? "served "
                        : outcome instanceof CallOutcome.PassThrough p ? "handed back (" + p.reason() + ") " : "declined ";
                otherwise = outcome instanceof CallOutcome.PassThrough ? 'P' : 'M';
            }
            log(dir, what + String.join(" ", request.args()));
            conclude(frames, answer, exit, otherwise);
        } catch (IOException | RuntimeException e) {
            // The client reads a broken answer as "not served" and runs the ordinary wrapper.
        } finally {
            lastRequest.set(System.nanoTime());
            active.decrementAndGet();
        }
    }


    /**
     * The answer's last frame, after any output: {@code X} and the exit code of what ran, or, when
     * nothing ran, the lone {@code otherwise} telling the client what to do itself.
     */
    private static void conclude(FrameStream frames, DataOutputStream answer, OptionalInt exit, char otherwise)
            throws IOException {
        synchronized (frames) {
            if (exit.isPresent()) {
                answer.writeByte('X');
                answer.writeInt(Integer.reverseBytes(exit.getAsInt()));
            } else {
                answer.writeByte(otherwise);
            }
            answer.flush();
        }
    }

    /** The user of the process at the other end, or empty where the platform cannot tell. */
    private static Optional<UserPrincipal> peer(SocketChannel channel) {
        try {
            UnixDomainPrincipal peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
            return Optional.of(peer.user());
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /**
     * Turns the wrapper's debug lines on, into this server's log, when {@code env} (the server's start,
     * or a call) asks for them ({@code KACHE_LOG=debug}). Not on the server's stderr, /dev/null as
     * kache-client starts it, nor a call's, which is rustc's. On from then until the server exits: a
     * debug line does not know its call (background stores, the remote), so the level is the server's;
     * a server nobody asked pays nothing, and the next server starts its log afresh.
     */
    private void debugIfAsked(ServerDirectory dir, Map<String, String> env) {
        if (!debugOn && WrapperLog.asked(env)) {
            debugOn = true;
            WrapperLog.logTo(line -> log(dir, "debug: " + line));
        }
    }

    /** One line per call in {@code SOCKET.log}: what the server served, for diagnosis and tests. */
    private synchronized void log(ServerDirectory dir, String line) {
        try {
            dir.append(socket.getFileName() + ".log", line + "\n");
        } catch (IOException e) {
            // Diagnosis only.
        }
    }
}
