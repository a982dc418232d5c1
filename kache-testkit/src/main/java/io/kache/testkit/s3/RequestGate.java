package io.kache.testkit.s3;

import java.time.Duration;

/**
 * Holds requests at the storage boundary until a number of them wait together, then lets them all
 * through: how many requests a client has in flight at once, seen by the server. A gate that
 * waited {@link #MAX_WAIT} without filling opens anyway, so a client that sends fewer at once is
 * slowed, never stuck.
 */
final class RequestGate {

    static final Duration MAX_WAIT = Duration.ofSeconds(10);

    private int size;
    private int waiting;
    private int mostWaiting;

    /** Closes the gate until {@code parallel} requests wait at it. */
    synchronized void holdUntil(int parallel) {
        size = parallel;
        waiting = 0;
        mostWaiting = 0;
    }

    /** The most requests that waited at once since {@link #holdUntil}. */
    synchronized int mostWaiting() {
        return mostWaiting;
    }

    /** Called by each request; returns at once while the gate is open. */
    synchronized void pass() {
        if (size == 0) {
            return;
        }
        waiting++;
        mostWaiting = Math.max(mostWaiting, waiting);
        long deadline = System.nanoTime() + MAX_WAIT.toNanos();
        while (size != 0 && waiting < size) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        size = 0;
        notifyAll();
    }
}
