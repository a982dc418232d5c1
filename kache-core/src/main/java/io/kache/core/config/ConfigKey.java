package io.kache.core.config;

import java.util.Optional;

/**
 * Every setting kache reads: its dotted name in {@code .kache.toml}, the environment variable that
 * overrides it, and whether the file may set it at all (credentials and {@code KACHE_DISABLED} are
 * environment only).
 */
public enum ConfigKey {
    CONFIG_FILE("config_file", "KACHE_CONFIG", false),
    LOCAL_STORE("cache.local_store", "KACHE_CACHE_DIR", true),
    LOCAL_MAX_SIZE("cache.local_max_size", "KACHE_MAX_SIZE", true),
    COMPRESSION_LEVEL("cache.compression_level", "KACHE_COMPRESSION_LEVEL", true),
    S3_CONCURRENCY("cache.s3_concurrency", "KACHE_S3_CONCURRENCY", true),
    REMOTE_READONLY("cache.remote_readonly", "KACHE_REMOTE_READONLY", true),
    LOCAL_ONLY("cache.local_only", "KACHE_LOCAL_ONLY", true),
    DISABLED("cache.disabled", "KACHE_DISABLED", false),
    KEY_SALT("cache.key_salt", "KACHE_KEY_SALT", true),
    REMOTE_DEADLINE("cache.remote_deadline", "KACHE_REMOTE_DEADLINE", true),
    KEY_ENV_VARS("cache.key_env_vars", "KACHE_KEY_ENV_VARS", true),
    BYPASS_CRATES("cache.bypass_crates", "KACHE_BYPASS_CRATES", true),
    REMOTE_TYPE("cache.remote.type", null, true),
    REMOTE_CLIENT("cache.remote.client", "KACHE_S3_CLIENT", true),
    REMOTE_BUCKET("cache.remote.bucket", "KACHE_S3_BUCKET", true),
    REMOTE_REGION("cache.remote.region", "KACHE_S3_REGION", true),
    REMOTE_ENDPOINT("cache.remote.endpoint", "KACHE_S3_ENDPOINT", true),
    REMOTE_PREFIX("cache.remote.prefix", "KACHE_S3_PREFIX", true),
    REMOTE_PROFILE("cache.remote.profile", "KACHE_S3_PROFILE", true),
    REMOTE_PATH("cache.remote.path", null, true),
    REMOTE_TIMEOUT("cache.remote.timeout", null, true),
    REMOTE_ACCESS_KEY("cache.remote.access_key", "KACHE_S3_ACCESS_KEY", false),
    REMOTE_SECRET_KEY("cache.remote.secret_key", "KACHE_S3_SECRET_KEY", false);

    private final String key;
    private final String envVar;
    private final boolean inFile;

    ConfigKey(String key, String envVar, boolean inFile) {
        this.key = key;
        this.envVar = envVar;
        this.inFile = inFile;
    }

    /** The dotted name, e.g. {@code cache.remote.bucket}. */
    public String key() {
        return key;
    }

    /** The name inside its TOML table, e.g. {@code bucket}. */
    public String tableKey() {
        return key.substring(key.lastIndexOf('.') + 1);
    }

    /** The variable that overrides the file, if any. */
    public Optional<String> envVar() {
        return Optional.ofNullable(envVar);
    }

    /** Whether {@code .kache.toml} may set this key. */
    public boolean inFile() {
        return inFile;
    }

    /** Whether the key lives in {@code [cache.remote]} rather than {@code [cache]}. */
    public boolean inRemoteTable() {
        return key.startsWith("cache.remote.");
    }

    /** Whether the value is a credential, shown only as set or not set. */
    public boolean isSecret() {
        return this == REMOTE_ACCESS_KEY || this == REMOTE_SECRET_KEY;
    }

    @Override
    public String toString() {
        return key;
    }
}
