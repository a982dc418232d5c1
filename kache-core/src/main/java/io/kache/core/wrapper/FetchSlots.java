package io.kache.core.wrapper;

import java.util.concurrent.Semaphore;

/**
 * How many of a prefetch's fetches run at once: as many as the machine has cores at first, then one
 * more each time a fetch ends, up to the remote's concurrency ({@code s3_concurrency}).
 *
 * <p>A fetch is mostly CPU once its bytes arrive (decompress, hash, write), and in a fresh kache
 * server the first fetches share the cores with the JIT and with cargo. Sixteen started at once on
 * two cores each got an eighth of a core: the entries cargo needed first (the record's head, or the
 * crate a call waits for, moved to the front of the queue) arrived no sooner than the sixteenth, and
 * the build's first calls waited for most of the prefetch. Started a few at a time they arrive in the
 * order asked, for the same total work. Where the network's round trip is the limit instead, the
 * count reaches its ceiling after as many fetches as the ceiling. Thread-safe.
 */
final class FetchSlots {

    private final Semaphore free;
    private final int ceiling;
    private int opened;

    /** Slots for at most {@code ceiling} fetches at once, {@code first} of them open at the start. */
    FetchSlots(int first, int ceiling) {
        this.ceiling = Math.max(1, ceiling);
        this.opened = Math.max(1, Math.min(first, this.ceiling));
        this.free = new Semaphore(opened);
    }

    /** Slots for a prefetch on this machine: its cores' worth first (at least two). */
    static FetchSlots forMachine(int ceiling) {
        return new FetchSlots(Math.max(2, Runtime.getRuntime().availableProcessors()), ceiling);
    }

    /** Takes a slot for a fetch about to start, waiting for one to be free. */
    void take() throws InterruptedException {
        free.acquire();
    }

    /** Takes a slot if one is free now. */
    boolean tryTake() {
        return free.tryAcquire();
    }

    /** A fetch ended: its slot is free again, and one more opens while below the ceiling. */
    void fetchEnded() {
        int more;
        synchronized (this) {
            more = opened < ceiling ? 1 : 0;
            opened += more;
        }
        free.release(1 + more);
    }

    /** Hands back a slot taken for a fetch that did not start (the queue was empty). */
    void giveBack() {
        free.release();
    }

    /** How many fetches may run at once now. */
    synchronized int opened() {
        return opened;
    }
}
