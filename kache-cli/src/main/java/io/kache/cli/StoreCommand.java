package io.kache.cli;

import io.kache.core.store.LocalStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of the commands that work on the local store: opens it from the environment, runs, and
 * turns a store failure into a one-line error and exit code 1.
 */
abstract class StoreCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    private final Map<String, String> env;

    StoreCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public final Integer call() {
        check();
        LocalStoreLocation location;
        try {
            location = LocalStoreLocation.fromEnv(env);
        } catch (IllegalArgumentException e) {
            err().println("kache: " + e.getMessage());
            return 2;
        }
        try (LocalStore store = location.open()) {
            run(store, out());
            out().flush();
            return 0;
        } catch (IOException e) {
            err().println("kache: " + spec.name() + " failed on " + location.root() + ": " + e.getMessage());
            return 1;
        }
    }

    /** Validates options before the store is opened; throws {@link picocli.CommandLine.ParameterException}. */
    void check() {
    }

    abstract void run(LocalStore store, PrintWriter out) throws IOException;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
