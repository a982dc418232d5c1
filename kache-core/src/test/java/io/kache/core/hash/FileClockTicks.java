package io.kache.core.hash;

import io.kache.testkit.Deadline;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Waits for the file clock to tick, so that what a test wrote before is strictly older, to the file
 * system, than what it writes after: the intent a fixed sleep only hoped to meet (a tick is 1 to
 * 10 ms depending on the kernel, and longer on a loaded machine).
 */
public final class FileClockTicks {

    private FileClockTicks() {
    }

    /** Returns once {@link FileClock#now} reads later than it did on entry. */
    public static void awaitNextTick(Path dir) throws InterruptedException {
        Path scratch = dir.resolve(".tick");
        long start = FileClock.now(scratch);
        Deadline.in(Duration.ofSeconds(5)).await("the file clock to tick", () -> FileClock.now(scratch) > start);
    }
}
