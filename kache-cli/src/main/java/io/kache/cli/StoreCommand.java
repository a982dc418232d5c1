package io.kache.cli;

import io.kache.core.Invocation;
import io.kache.core.config.ConfigLoader;
import io.kache.core.config.KacheConfig;
import io.kache.core.store.LocalStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
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

    /** How long a command waits for the entries the kache server is still storing. */
    static final java.time.Duration IN_FLIGHT_WAIT = java.time.Duration.ofSeconds(10);

    @Override
    public final Integer call() {
        check();
        Invocation inv = parent.invocation();
        KacheConfig config = ConfigLoader.load(inv.env(), configDir(inv.cwd()));
        if (onlyReads() && !Files.isDirectory(config.localStore())) {
            // Opening would create it: a mistyped KACHE_CACHE_DIR must not leave a directory behind.
            err().println("kache: no local store at " + config.localStore() + " yet (nothing was cached there;"
                    + " check KACHE_CACHE_DIR or [cache] local_store)");
            runWithoutStore(config, out());
            out().flush();
            return 0;
        }
        try (LocalStore store = LocalStore.open(config.localStore(), config.localMaxSize())) {
            // The server stores a build's last misses just after cargo has them: let them land.
            store.awaitStoresInFlight(IN_FLIGHT_WAIT);
            run(store, config, out());
            out().flush();
            err().flush();
            return exitCode();
        } catch (IOException e) {
            err().println("kache: " + spec.name() + " failed on " + config.localStore() + ": " + e.getMessage());
            return 1;
        }
    }

    /** Where the configuration is looked up from: the call's directory, or a {@code --manifest-path}'s. */
    java.nio.file.Path configDir(java.nio.file.Path cwd) {
        return cwd;
    }

    /** Validates options before the store is opened; throws {@link picocli.CommandLine.ParameterException}. */
    void check() {
    }

    /** Whether this command only looks: then a store that does not exist is reported, not created. */
    boolean onlyReads() {
        return false;
    }

    /** What a looking command shows when there is no store yet (it has nothing in it). */
    void runWithoutStore(KacheConfig config, PrintWriter out) {
    }

    /** The exit code after {@link #run}: 0, or what the command's answer was (a usage error it found). */
    int exitCode() {
        return 0;
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
