package io.kache.core.hash;

import java.nio.file.Path;

/**
 * Waits for the file clock to tick, so that what a test wrote before is strictly older, to the file
 * system, than what it writes after: the intent a fixed sleep only hoped to meet (a tick is 1 to
 * 10 ms depending on the kernel, and longer on a loaded machine).
 */
public final class FileClockTicks {

    private FileClockTicks() {
    }

    /** Returns once {@link FileClock#now} reads later than it did on entry; fails after five seconds. */
    public static void awaitNextTick(Path dir) throws InterruptedException {
        Path scratch = dir.resolve(".tick");
        long start = FileClock.now(scratch);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (FileClock.now(scratch) <= start) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the file clock did not tick in 5 s");
            }
            Thread.sleep(1);
        }
    }
}
