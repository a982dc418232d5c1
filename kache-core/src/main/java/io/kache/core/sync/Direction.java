package io.kache.core.sync;

/** Which way an entry moves. */
public enum Direction {
    /** Remote to local store. */
    PULL,
    /** Local store to remote. */
    PUSH;

    /** {@code pull} or {@code push}, for output. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
