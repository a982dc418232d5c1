package io.kache.core.wrapper;

import io.kache.core.config.KacheConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What the wrapper needs from the configuration.
 *
 * @param storeRoot the local store directory
 * @param maxSize the local store's size cap in bytes
 * @param keySalt mixed into every key
 * @param disabled pass every call through
 * @param lockWait how long to wait for another process compiling the same call before compiling too
 */
public record WrapperSettings(Path storeRoot, long maxSize, String keySalt, boolean disabled, Duration lockWait) {

    public WrapperSettings {
        Objects.requireNonNull(storeRoot, "storeRoot");
        Objects.requireNonNull(keySalt, "keySalt");
        Objects.requireNonNull(lockWait, "lockWait");
    }

    /** How long a call waits for another process compiling the same crate before compiling too. */
    public static final Duration DEFAULT_LOCK_WAIT = Duration.ofMinutes(10);

    public static WrapperSettings of(KacheConfig config) {
        return new WrapperSettings(config.localStore(), config.localMaxSize(), config.keySalt(), config.disabled(),
                DEFAULT_LOCK_WAIT);
    }
}
