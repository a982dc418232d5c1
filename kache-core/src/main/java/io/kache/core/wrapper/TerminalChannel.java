package io.kache.core.wrapper;

import io.kache.core.ProcessStderr;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a message reaches the person running cargo without becoming part of a unit's output.
 * cargo keeps whatever rustc (and so its wrapper) writes on stderr with the unit and replays it on
 * every build in which the unit is fresh; cargo's own stderr it never keeps. So kache writes where
 * cargo's own {@code warning:} lines go: the build process's standard error, reopened through
 * {@code /proc/PID/fd/2} — a terminal, or the pipe a CI runner reads. A regular file is written
 * only when cargo's descriptor appends ({@code >>}): otherwise kache's line would be overwritten at
 * cargo's own offset. Failing that, the controlling terminal ({@code /dev/tty}); failing that,
 * nowhere (the message stays in the logs).
 */
final class TerminalChannel {

    private static final int O_APPEND = 02000;

    private TerminalChannel() {
    }

    /** Opens the channel of the build process {@code buildPid}, or empty when there is none. */
    static Optional<OutputStream> open(Optional<Long> buildPid) {
        if (buildPid.isPresent()) {
            Optional<OutputStream> stderr = buildStderr(buildPid.get());
            if (stderr.isPresent()) {
                return stderr;
            }
        }
        try {
            return Optional.of(new FileOutputStream("/dev/tty", true));
        } catch (IOException | SecurityException e) {
            return Optional.empty(); // no controlling terminal: a CI job, a daemon
        }
    }

    private static Optional<OutputStream> buildStderr(long pid) {
        Optional<String> stderr = ProcessStderr.target(pid);
        if (stderr.isEmpty()) {
            return Optional.empty();
        }
        String target = stderr.get();
        try {
            if (target.equals("/dev/null")) {
                return Optional.of(OutputStream.nullOutputStream()); // silenced on purpose: not the terminal either
            }
            boolean stream = target.startsWith("pipe:") || target.startsWith("socket:") || ProcessStderr.isTerminal(target);
            if (!stream && !(target.startsWith("/") && appends(pid))) {
                return Optional.empty();
            }
            return Optional.of(new FileOutputStream(ProcessStderr.descriptor(pid).toFile(), true));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Whether the build's stderr was opened to append ({@code flags:} in {@code /proc/PID/fdinfo/2}, octal). */
    private static boolean appends(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "fdinfo", "2"),
                StandardCharsets.US_ASCII)) {
            if (line.startsWith("flags:")) {
                return (Integer.parseInt(line.substring(6).trim(), 8) & O_APPEND) != 0;
            }
        }
        return false;
    }
}
