package io.kache.core.hash;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The clock file times are stamped with. A local file system stamps a write with the kernel's coarse
 * clock, which lags the wall clock ({@link System#currentTimeMillis}) by up to a tick (10 ms at
 * HZ=100): a file written just after a moment read from the wall clock can carry an earlier time.
 * What was written after a moment is told by comparing its times with what this clock read then.
 */
public final class FileClock {

    private FileClock() {
    }

    /**
     * The change time a file created now gets: creates {@code scratch} (a fresh path) and deletes it;
     * the wall clock where that is earlier (a scratch directory on a file system stamped by another
     * machine whose clock runs ahead). Falls back to the wall clock less
     * {@link FileIdentity#COARSE_RACY_WINDOW_NANOS} where no such file can be made, so a comparison
     * errs towards "written after".
     */
    public static long now(Path scratch) {
        long wall = System.currentTimeMillis() * 1_000_000L;
        try {
            Files.createFile(scratch);
            try {
                Optional<FileIdentity> id = FileIdentity.of(scratch);
                if (id.isPresent()) {
                    return Math.min(id.get().ctimeNanos(), wall);
                }
            } finally {
                Files.deleteIfExists(scratch);
            }
        } catch (IOException | RuntimeException e) {
            // The fallback below.
        }
        return wall - FileIdentity.COARSE_RACY_WINDOW_NANOS;
    }
}
