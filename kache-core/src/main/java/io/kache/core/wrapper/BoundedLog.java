package io.kache.core.wrapper;

import io.kache.core.server.ServerDirectory;
import java.io.IOException;

/**
 * A log in the server directory that the calls of builds append to side by side, kept bounded: once
 * it passes {@code maxBytes} it is renamed to {@code NAME.1} (replacing the older one) and the next
 * line starts a new file, so the two never hold much more than twice the bound. With
 * {@code KACHE_LOG=debug} left set, the log would otherwise grow with every build.
 */
final class BoundedLog {

    /** The size past which the log is rotated. */
    static final long MAX_BYTES = 16L << 20;
    /**
     * How often the size is read: at a process's first line, then every this many. A call run in a
     * JVM of its own writes a few lines, so each such call reads it about once, and a longer run of
     * lines pays one read in this many, not one a line.
     */
    static final int MEASURE_EVERY = 64;

    private final ServerDirectory dir;
    private final String name;
    private final long maxBytes;
    private final int measureEvery;
    private int lines;

    BoundedLog(ServerDirectory dir, String name, long maxBytes, int measureEvery) {
        this.dir = dir;
        this.name = name;
        this.maxBytes = maxBytes;
        this.measureEvery = measureEvery;
    }

    synchronized void append(String line) throws IOException {
        if (lines++ % measureEvery != 0) {
            dir.append(name, line);
        } else if (dir.appendAndMeasure(name, line) > maxBytes) {
            dir.rotate(name, maxBytes);
        }
    }
}
