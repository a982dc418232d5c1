package io.kache.core.server;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Ends a command the server runs for a client that is gone. In a JVM of its own, Ctrl-C or a
 * cancelled CI job stops {@code kache sync} with its process; in the server, the command would go
 * on pulling or pushing for nobody. The client sends nothing after its request (it shuts its side
 * down), so its end shows only as its process ending: the server checks the process it named, and
 * interrupts the command's thread once it has ended. A sync stops its transfers on interruption;
 * what it already stored stays, whole (an entry is published only once complete).
 *
 * <p>{@link ProcessHandle#isAlive()} also compares the process's start time, so a pid taken by
 * another process in the meantime is not mistaken for the client. A client whose process cannot be
 * seen (another pid namespace) is not watched: the command then runs to its end, as before.
 */
final class ClientWatch {

    /** How often the client's process is looked at: a fraction of a person's patience, no load. */
    static final Duration EVERY = Duration.ofMillis(200);

    private static final ScheduledExecutorService CHECKS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kache-client-watch");
        t.setDaemon(true);
        return t;
    });

    private ClientWatch() {
    }

    /**
     * Runs {@code command} in this thread, interrupting it if process {@code clientPid} ends
     * first. The thread leaves uninterrupted, whatever happened: it serves the next request.
     *
     * @param onGone told once when the client was found gone (the server's log)
     */
    static OptionalInt run(long clientPid, Supplier<OptionalInt> command, Runnable onGone) {
        Optional<ProcessHandle> client = ProcessHandle.of(clientPid);
        if (client.isEmpty()) {
            return command.get();
        }
        Thread runner = Thread.currentThread();
        Object lock = new Object();
        boolean[] state = new boolean[2]; // [0]: the command returned, [1]: interrupted
        ScheduledFuture<?> check = CHECKS.scheduleWithFixedDelay(() -> {
            if (client.get().isAlive()) {
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
        }, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return command.get();
        } finally {
            check.cancel(false);
            synchronized (lock) {
                state[0] = true;
            }
            Thread.interrupted();
        }
    }

    /** Ends the periodic check of a client that is gone. */
    private static final class ClientGone extends RuntimeException {
        ClientGone() {
            super("the client is gone", null, false, false);
        }
    }
}
