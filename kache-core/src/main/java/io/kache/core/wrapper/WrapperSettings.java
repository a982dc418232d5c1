package io.kache.core.wrapper;

import io.kache.api.RemoteSettings;
import io.kache.core.config.CratePatterns;
import io.kache.core.config.KacheConfig;
import io.kache.core.config.KeyEnvVars;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What the wrapper needs from the configuration.
 *
 * @param storeRoot the local store directory
 * @param maxSize the local store's size cap in bytes
 * @param keySalt mixed into every key
 * @param disabled pass every call through
 * @param lockWait how long to wait for another process compiling the same call before compiling too
 * @param remote the remote to read through and write back to (credentials not yet resolved), if any
 * @param remoteDeadline the hard limit on asking the remote for one entry during a build
 * @param compressionLevel the zstd level of packs written back to the remote
 * @param keyEnvVars variables whose values join the call key ({@code key_env_vars})
 * @param bypassCrates crates always passed through ({@code bypass_crates})
 * @param s3Concurrency remote transfers at once, for the server's prefetch ({@code s3_concurrency})
 * @param configFile the config file these settings came from, if any: the uploader a call starts reads it too
 */
public record WrapperSettings(Path storeRoot, long maxSize, String keySalt, boolean disabled, Duration lockWait,
                              Optional<RemoteSettings> remote, Duration remoteDeadline, int compressionLevel,
                              KeyEnvVars keyEnvVars, CratePatterns bypassCrates,
                              int s3Concurrency, Optional<Path> configFile) {

    /** How long a call waits for another process compiling the same crate before compiling too. */
    public static final Duration DEFAULT_LOCK_WAIT = Duration.ofMinutes(10);

    public WrapperSettings {
        Objects.requireNonNull(storeRoot, "storeRoot");
        Objects.requireNonNull(keySalt, "keySalt");
        Objects.requireNonNull(lockWait, "lockWait");
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(remoteDeadline, "remoteDeadline");
        Objects.requireNonNull(keyEnvVars, "keyEnvVars");
        Objects.requireNonNull(bypassCrates, "bypassCrates");
        Objects.requireNonNull(configFile, "configFile");
    }

    /** Where {@link #remote} puts entries, which keys its write-back queue and health marker; empty without a remote. */
    public Optional<io.kache.core.remote.RemoteDestination> remoteDestination() {
        return remote.map(io.kache.core.remote.RemoteDestination::of);
    }

    public static WrapperSettings of(KacheConfig config) {
        return new WrapperSettings(config.localStore(), config.localMaxSize(), config.keySalt(), config.disabled(),
                DEFAULT_LOCK_WAIT, config.remoteSettings(), config.remoteDeadline(), config.compressionLevel(),
                config.keyEnvVars(), config.bypassCrates(), config.s3Concurrency(), config.file());
    }
}
