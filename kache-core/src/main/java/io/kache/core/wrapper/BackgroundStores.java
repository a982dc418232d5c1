package io.kache.core.wrapper;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the kache server stores a miss's outputs after it handed the unit back to cargo: a miss
 * then costs cargo the compile and the few links that pin its outputs, not the hashing, copying and
 * publishing too (cargo starts what waited on the unit, such as a build script's run or every crate
 * using a proc-macro, that much sooner). Off unless {@link #enable}d: a wrapper in its own JVM exits
 * with its call and stores before it answers.
 *
 * <p>The call's key lock goes with the work and is released only once the entry is published, so
 * a build that asks for the same call meanwhile waits for it and hits rather than compiling again.
 *
 * <p>The server's other work for later calls runs here too, so that it also ends before the server
 * does: the run of cargo's target-info probe whose answer the next build gets ({@link TargetInfoAnswer}).
 */
public final class BackgroundStores {

    private static final AtomicInteger IN_FLIGHT = new AtomicInteger();
    private static volatile ExecutorService executor;

    private BackgroundStores() {
    }

    /** Turns background storing on for this JVM (the server's). */
    public static synchronized void enable() {
        if (executor == null) {
            executor = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "kache-store");
                t.setDaemon(true);
                return t;
            });
        }
    }

    /** Work started and not yet finished: the server does not exit while any is. */
    public static int inFlight() {
        return IN_FLIGHT.get();
    }

    /** Waits at most {@code millis} for the work in flight to finish; whether none is left. */
    public static boolean awaitIdle(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (IN_FLIGHT.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    static boolean enabled() {
        return executor != null;
    }

    /** Runs {@code work} in the background; false (nothing run) when background storing is off or refused. */
    static boolean submit(Runnable work) {
        ExecutorService e = executor;
        if (e == null) {
            return false;
        }
        IN_FLIGHT.incrementAndGet();
        try {
            e.execute(() -> {
                try {
                    work.run();
                } finally {
                    IN_FLIGHT.decrementAndGet();
                }
            });
            return true;
        } catch (RejectedExecutionException ex) {
            IN_FLIGHT.decrementAndGet();
            return false;
        }
    }
}
