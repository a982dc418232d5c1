package io.kache.cli;

import io.kache.core.Invocation;
import io.kache.core.config.ConfigKey;
import io.kache.core.config.ConfigLoader;
import io.kache.core.config.ConfigOrigin;
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
        if (!Files.isDirectory(config.localStore())) {
            return withoutStore(config);
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

    /**
     * No directory at the store's path. Nothing there is an empty store: the commands answer (gc and
     * purge have nothing to remove) and exit 0, as {@code stats} does, because a fresh machine or CI
     * runner has no store until its first build and a cleanup step there is not an error; none of
     * them creates the store, or a mistyped path would be left behind as an empty one. Something else
     * at the path (a file) is an error, exit 1: kache cannot cache there, and builds run rustc uncached.
     */
    private int withoutStore(KacheConfig config) {
        java.nio.file.Path root = config.localStore();
        if (Files.exists(root)) {
            err().println("kache: " + spec.name() + ": the local store " + root + " is "
                    + (Files.isRegularFile(root) ? "a file" : "there") + ", not a directory (" + whereSet(config)
                    + "): nothing can be cached there, and builds run rustc directly; point the setting at a directory");
            return 1;
        }
        err().println("kache: no local store at " + root + " yet (nothing was cached there; " + whereSet(config) + ")");
        runWithoutStore(config, out());
        out().flush();
        return 0;
    }

    /** Where the store's path was set, to check a typo at: {@code set by environment variable KACHE_CACHE_DIR}. */
    private static String whereSet(KacheConfig config) {
        ConfigOrigin origin = config.origin(ConfigKey.LOCAL_STORE);
        return switch (origin.kind()) {
            case ENV -> "set by " + origin.location();
            case FILE -> "set by " + ConfigKey.LOCAL_STORE.key() + " at " + origin.location();
            case DEFAULT -> "kache's default; KACHE_CACHE_DIR or [cache] local_store sets another";
        };
    }

    /** Where the configuration is looked up from: the call's directory, or a {@code --manifest-path}'s. */
    java.nio.file.Path configDir(java.nio.file.Path cwd) {
        return cwd;
    }

    /** Validates options before the store is opened; throws {@link picocli.CommandLine.ParameterException}. */
    void check() {
    }

    /** What the command shows when there is no store yet (it has nothing in it); nothing by default. */
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
