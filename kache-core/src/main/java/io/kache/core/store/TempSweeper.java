package io.kache.core.store;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

/**
 * Deletes what interrupted writers left in {@code tmp/}: files and scratch directories of processes that no longer exist,
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
                if ((dead || olderThan(f, cutoff)) && delete(f)) {
                    removed++;
                }
            }
        } catch (NoSuchFileException e) {
            return removed;
        }
        return removed;
    }

    /** Deletes a file, or a scratch directory with what it holds (a dep-info pre-pass leaves files, never deeper trees). */
    private static boolean delete(Path f) throws IOException {
        if (Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> inside = Files.newDirectoryStream(f)) {
                for (Path p : inside) {
                    Files.deleteIfExists(p);
                }
            } catch (NoSuchFileException | DirectoryNotEmptyException e) {
                return false;
            }
        }
        try {
            return Files.deleteIfExists(f);
        } catch (DirectoryNotEmptyException e) {
            return false; // deeper than a scratch directory: not ours, left alone
        }
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
