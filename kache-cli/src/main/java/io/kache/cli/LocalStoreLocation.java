package io.kache.cli;

import io.kache.core.config.ByteSize;
import io.kache.core.store.LocalStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the local store lives and its size cap, from the environment: {@code KACHE_CACHE_DIR},
 * else {@code $XDG_CACHE_HOME/kache}, else {@code ~/.cache/kache}; {@code KACHE_MAX_SIZE}, else
 * 50 GiB. The config file's {@code cache.local_store} / {@code local_max_size} are to be resolved
 * by the config module once it is wired into the commands.
 */
record LocalStoreLocation(Path root, long maxSizeBytes) {

    static final long DEFAULT_MAX_SIZE = 50L << 30;

    static LocalStoreLocation fromEnv(Map<String, String> env) {
        Path root;
        if (notEmpty(env.get("KACHE_CACHE_DIR"))) {
            root = Path.of(env.get("KACHE_CACHE_DIR"));
        } else if (notEmpty(env.get("XDG_CACHE_HOME"))) {
            root = Path.of(env.get("XDG_CACHE_HOME"), "kache");
        } else if (notEmpty(env.get("HOME"))) {
            root = Path.of(env.get("HOME"), ".cache", "kache");
        } else {
            throw new IllegalArgumentException("cannot locate the local store: set KACHE_CACHE_DIR or HOME");
        }
        long max = notEmpty(env.get("KACHE_MAX_SIZE")) ? ByteSize.parse(env.get("KACHE_MAX_SIZE")) : DEFAULT_MAX_SIZE;
        return new LocalStoreLocation(root, max);
    }

    LocalStore open() throws IOException {
        return LocalStore.open(root, maxSizeBytes);
    }

    private static boolean notEmpty(String s) {
        return s != null && !s.isEmpty();
    }
}
