package io.kache.core.config;

import io.kache.api.RemoteSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * kache's effective configuration for one call, as {@link ConfigLoader#load} resolved it from the
 * environment, one config file and the defaults. Immutable; {@link #toString()} masks credentials.
 *
 * @param localStore the local store's directory, absolute
 * @param localMaxSize the local store's size limit in bytes
 * @param compressionLevel zstd level, 1 to 22
 * @param s3Concurrency parallel remote transfers, at least 1
 * @param remoteReadonly never write to the remote
 * @param localOnly ignore the remote entirely
 * @param disabled {@code KACHE_DISABLED}: run rustc without caching
 * @param keySalt mixed into every cache key; change it to start a fresh cache
 * @param remoteDeadline how long the wrapper may wait on the remote during a build
 * @param keyEnvVars variables whose values join the key (of every call, or of named crates)
 * @param bypassCrates crates never cached
 * @param remote the {@code [cache.remote]} settings, if a remote is configured
 * @param file the config file that was read, if any
 * @param origins where each value came from
 */
public record KacheConfig(Path localStore, long localMaxSize, int compressionLevel, int s3Concurrency,
                          boolean remoteReadonly, boolean localOnly, boolean disabled, String keySalt,
                          Duration remoteDeadline, KeyEnvVars keyEnvVars, CratePatterns bypassCrates,
                          Optional<RemoteConfig> remote, Optional<Path> file,
                          Map<ConfigKey, ConfigOrigin> origins) {

    public static final long DEFAULT_LOCAL_MAX_SIZE = 50L << 30;
    public static final int DEFAULT_COMPRESSION_LEVEL = 3;
    public static final int MIN_COMPRESSION_LEVEL = 1;
    public static final int MAX_COMPRESSION_LEVEL = 22;
    public static final int DEFAULT_S3_CONCURRENCY = 16;
    public static final int MAX_S3_CONCURRENCY = 1024;
    public static final Duration DEFAULT_REMOTE_DEADLINE = Duration.ofSeconds(3);

    public KacheConfig {
        Objects.requireNonNull(localStore, "localStore");
        Objects.requireNonNull(keySalt, "keySalt");
        Objects.requireNonNull(remoteDeadline, "remoteDeadline");
        Objects.requireNonNull(keyEnvVars, "keyEnvVars");
        Objects.requireNonNull(bypassCrates, "bypassCrates");
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(file, "file");
        if (!localStore.isAbsolute()) {
            throw new IllegalArgumentException("localStore must be absolute: " + localStore);
        }
        if (localMaxSize <= 0) {
            throw new IllegalArgumentException("localMaxSize must be positive: " + localMaxSize);
        }
        if (compressionLevel < MIN_COMPRESSION_LEVEL || compressionLevel > MAX_COMPRESSION_LEVEL) {
            throw new IllegalArgumentException("compressionLevel out of range: " + compressionLevel);
        }
        if (s3Concurrency < 1 || s3Concurrency > MAX_S3_CONCURRENCY) {
            throw new IllegalArgumentException("s3Concurrency out of range: " + s3Concurrency);
        }
        if (remoteDeadline.isNegative() || remoteDeadline.isZero()) {
            throw new IllegalArgumentException("remoteDeadline must be positive: " + remoteDeadline);
        }
        Map<ConfigKey, ConfigOrigin> copy = new EnumMap<>(ConfigKey.class);
        copy.putAll(origins);
        origins = Collections.unmodifiableMap(copy);
    }

    /** Where the value of {@code key} came from; {@link ConfigOrigin#DEFAULT} for keys that were not resolved. */
    public ConfigOrigin origin(ConfigKey key) {
        return origins.getOrDefault(key, ConfigOrigin.DEFAULT);
    }

    /**
     * The settings to open the remote with: empty when no remote is configured, or when kache is
     * {@link #disabled} or {@link #localOnly}. Credentials are left empty here (the provider's own
     * chain applies); {@code remote_readonly} is carried as {@link RemoteSettings#readOnly()}.
     */
    public Optional<RemoteSettings> remoteSettings() {
        if (disabled || localOnly || remote.isEmpty()) {
            return Optional.empty();
        }
        RemoteConfig r = remote.get();
        return Optional.of(new RemoteSettings(r.type(), r.client(), r.bucket(), r.region(), r.endpoint(),
                r.layout(), r.profile(), r.path(), remoteReadonly, r.timeout(), Optional.empty(), r.options()));
    }
}
