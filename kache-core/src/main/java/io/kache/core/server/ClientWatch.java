package io.kache.core.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Ends a command or a compile the server runs for a client that is gone. In a JVM of its own, Ctrl-C
 * or a cancelled CI job stops {@code kache sync} or a wrapped rustc with its process; in the server,
 * the work would go on for nobody. The client sends nothing after its request (it shuts its side
 * down), so its end shows only as its process ending: the server checks the process it named, and
 * interrupts the work's thread once it has ended. A sync stops its transfers on interruption;
 * what it already stored stays, whole (an entry is published only once complete). A compile kills
 * its rustc and stores nothing.
 *
 * <p>{@link ProcessHandle#isAlive()} also compares the process's start time, so a pid taken by
 * another process after the call came is not mistaken for the client; a zombie, which it counts as
 * alive, is gone here (a dead client nobody reaps: a container whose first process does not). The
 * client's pid is the one it sent, so a client in another pid namespace is taken for whatever
 * process has that pid here, or runs unwatched where none has; kache's server and client share one
 * namespace. A call
 * stopped so is never answered ({@code KacheServer}): a client that is in fact there falls back
 * and runs it itself, never a build failed by a stop.
 */
final class ClientWatch {

    /** How often the client's process is looked at: a fraction of a person's patience, no load. */
    static final Duration EVERY = Duration.ofMillis(200);

    private ClientWatch() {
    }

    /**
     * Runs {@code command} in this thread, interrupting it if process {@code clientPid} ends
     * first. The thread leaves uninterrupted, whatever happened: it serves the next request.
     *
     * @param onGone told once when the client was found gone (the server's log)
     * @throws Stopped once a command interrupted so has returned: what it returns is nobody's answer
     */
    static OptionalInt run(long clientPid, Supplier<OptionalInt> command, Runnable onGone) {
        Thread runner = Thread.currentThread();
        Object lock = new Object();
        boolean[] state = new boolean[2]; // [0]: the command returned, [1]: interrupted
        // The client is looked up by the timer thread at once, not here: reading /proc on the call's
        // thread would cost every hit. A pid not found then is no client this server can see (another
        // pid namespace): the call runs unwatched, as it must not be stopped for it.
        AtomicReference<Optional<ProcessHandle>> client = new AtomicReference<>();
        ScheduledFuture<?> check = ServerTimer.TIMER.scheduleWithFixedDelay(() -> {
            if (client.get() == null) {
                client.set(ProcessHandle.of(clientPid));
                if (client.get().isEmpty()) {
                    throw new ClientGone(); // no checks: unwatched
                }
            }
            if (client.get().get().isAlive() && !zombie(clientPid)) {
                return;
            }
            synchronized (lock) {
                if (!state[0] && !state[1]) {
                    state[1] = true;
                    runner.interrupt();
                    onGone.run();
                }
            }
            throw new ClientGone(); // no further checks
        }, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
        OptionalInt exit;
        try {
            exit = command.get();
        } finally {
            check.cancel(false);
            synchronized (lock) {
                state[0] = true;
            }
            Thread.interrupted();
        }
        if (state[1]) {
            throw new Stopped();
        }
        return exit;
    }

    /** Whether process {@code pid} has ended and waits to be reaped: state {@code Z} in {@code /proc/PID/stat}. */
    static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // "PID (COMM) STATE ...": COMM may hold spaces and parentheses, the last ')' ends it.
            int end = stat.lastIndexOf(')');
            return end > 0 && end + 2 < stat.length() && stat.charAt(end + 2) == 'Z';
        } catch (IOException | RuntimeException e) {
            return false; // gone altogether: isAlive says so
        }
    }

    /** A command stopped because its client was gone: it has no answer to give. */
    static final class Stopped extends RuntimeException {
        Stopped() {
            super("stopped: the client is gone", null, false, false);
        }
    }

    /** Ends the periodic check of a client that is gone. */
    private static final class ClientGone extends RuntimeException {
        ClientGone() {
            super("the client is gone", null, false, false);
        }
    }
}
