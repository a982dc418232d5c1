package io.kache.core.server;

import io.kache.core.Invocation;
import java.util.OptionalInt;

/**
 * kache's own commands a kache server runs for its clients, in its warm JVM, beside the compiler
 * calls it serves. The command-line module provides them; the core knows none.
 */
@FunctionalInterface
public interface ServerCommands {

    /** Serves no command: every request is a compiler call. */
    ServerCommands NONE = inv -> OptionalInt.empty();

    /**
     * Runs {@code inv} if its arguments name a command served here, with the call's own
     * environment, directory and streams; empty, having done nothing, for anything else.
     *
     * @return the command's exit status
     */
    OptionalInt run(Invocation inv);
}
