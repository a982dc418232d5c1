package io.kache.cli;

import io.kache.core.Invocation;
import io.kache.core.config.ConfigLoader;
import io.kache.core.config.KacheConfig;
import io.kache.core.store.LocalStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * Base of the commands that work on the local store: opens the store the call's configuration names
 * ({@code KACHE_CACHE_DIR} or {@code cache.local_store}, with its size cap), runs, and turns a store
 * failure into a one-line error and exit code 1. A broken configuration exits 2 through
 * {@link KacheCli}.
 */
abstract class StoreCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    KacheCli parent;

    @Override
    public final Integer call() {
        check();
        Invocation inv = parent.invocation();
        KacheConfig config = ConfigLoader.load(inv.env(), inv.cwd());
        try (LocalStore store = LocalStore.open(config.localStore(), config.localMaxSize())) {
            run(store, config, out());
            out().flush();
            return 0;
        } catch (IOException e) {
            err().println("kache: " + spec.name() + " failed on " + config.localStore() + ": " + e.getMessage());
            return 1;
        }
    }

    /** Validates options before the store is opened; throws {@link picocli.CommandLine.ParameterException}. */
    void check() {
    }

    /** Runs on {@code store}, the one {@code config} names. */
    abstract void run(LocalStore store, KacheConfig config, PrintWriter out) throws IOException;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
