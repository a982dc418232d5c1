package io.kache.core.server;

import io.kache.core.Invocation;
import java.util.List;
import java.util.OptionalInt;

/**
 * kache's own commands a kache server runs for its clients, in its warm JVM, beside the compiler
 * calls it serves. The command-line module provides them; the core knows none.
 */
public interface ServerCommands {

    /** Serves no command: every request is a compiler call. */
    ServerCommands NONE = new ServerCommands() {
        @Override
        public boolean serves(List<String> args) {
            return false;
        }

        @Override
        public OptionalInt run(Invocation inv) {
            return OptionalInt.empty();
        }
    };

    /** Whether {@code args} name a command served here: asked first, so a compiler call pays nothing more. */
    boolean serves(List<String> args);

    /**
     * Runs {@code inv} if its arguments name a command served here, with the call's own
     * environment, directory and streams; empty, having done nothing, for anything else.
     *
     * @return the command's exit status
     */
    OptionalInt run(Invocation inv);
}
