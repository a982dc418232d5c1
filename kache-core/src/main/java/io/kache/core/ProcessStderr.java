package io.kache.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Another process's standard error, as Linux shows it in {@code /proc/PID/fd/2}: what kache asks of
 * the stderr of a process it speaks for but is not (the native client it serves, the cargo whose
 * build it tells something).
 */
public final class ProcessStderr {

    private ProcessStderr() {
    }

    /** The descriptor itself, {@code /proc/PID/fd/2}, which can be opened to write to that stderr. */
    public static Path descriptor(long pid) {
        return Path.of("/proc", Long.toString(pid), "fd", "2");
    }

    /**
     * What the descriptor points at: a path, {@code pipe:[N]} or {@code socket:[N]}; empty when it
     * cannot be read (the process is gone, or not ours to see).
     */
    public static Optional<String> target(long pid) {
        try {
            return Optional.of(Files.readSymbolicLink(descriptor(pid)).toString());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code target} (as {@link #target} gives it) is a terminal. */
    public static boolean isTerminal(String target) {
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    }
}
