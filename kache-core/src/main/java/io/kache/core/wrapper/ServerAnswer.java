package io.kache.core.wrapper;

/** What the kache server does with a call it is handed: see {@link RustcWrapper#serve}. */
public sealed interface ServerAnswer {

    /** Served here: the compiler's output went to the call's streams, and this is its exit code. */
    record Exit(int code) implements ServerAnswer {
    }

    /** Not taken, nothing written: the client runs the call in a JVM, as without a server. */
    record Declined() implements ServerAnswer {
    }

    /**
     * kache passes the call through unchanged (counted under {@code reason}), and nothing was
     * written: the client runs the command itself, with its own streams, descriptors and signals,
     * exactly as the JVM wrapper would have, without starting one.
     */
    record RunUnchanged(String reason) implements ServerAnswer {
    }
}
