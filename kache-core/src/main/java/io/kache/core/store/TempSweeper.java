package io.kache.core.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

/**
 * Deletes what interrupted writers left in {@code tmp/}: files of processes that no longer exist,
 * and anything older than a day (a PID may have been reused, or belong to another container).
 * Nothing in {@code tmp/} is ever visible to readers, so this only frees space.
 */
final class TempSweeper {

    static final Duration MAX_AGE = Duration.ofDays(1);

    private TempSweeper() {
    }

    static long sweep(Path tmpDir) throws IOException {
        long self = ProcessHandle.current().pid();
        Instant cutoff = Instant.now().minus(MAX_AGE);
        long removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(tmpDir)) {
            for (Path f : files) {
                long pid = StoreLayout.ownerPid(f.getFileName().toString());
                boolean dead = pid > 0 && pid != self && ProcessHandle.of(pid).isEmpty();
                if (dead || olderThan(f, cutoff)) {
                    if (Files.deleteIfExists(f)) {
                        removed++;
                    }
                }
            }
        } catch (NoSuchFileException e) {
            return removed;
        }
        return removed;
    }

    private static boolean olderThan(Path f, Instant cutoff) throws IOException {
        try {
            FileTime t = Files.getLastModifiedTime(f);
            return t.toInstant().isBefore(cutoff);
        } catch (NoSuchFileException e) {
            return false;
        }
    }
}
