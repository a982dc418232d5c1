package io.kache.core.config;

import java.util.Objects;

/**
 * A configuration value, file or variable kache cannot use. The message names the key, where it was
 * set (file and line, or environment variable) and what is allowed, and never contains a secret.
 * The CLI exits with status 2 on it.
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final transient ConfigOrigin origin;

    /**
     * The message is {@code WHERE: KEY: PROBLEM}, or {@code WHERE: PROBLEM} when WHERE names the key
     * already (the variable {@code KACHE_CONFIG} itself was wrong).
     *
     * @param key the dotted config key ({@code cache.compression_level}) or the variable's name
     * @param origin where the bad value was set
     * @param problem what is wrong and what is allowed, e.g. {@code 0 is out of range; allowed: 1 to 22}
     */
    public ConfigException(String key, ConfigOrigin origin, String problem) {
        this(key, origin, problem, null);
    }

    public ConfigException(String key, ConfigOrigin origin, String problem, Throwable cause) {
        super(origin.location() + ": " + (origin.source().equals(key) ? "" : key + ": ") + problem, cause);
        this.key = Objects.requireNonNull(key, "key");
        this.origin = origin;
    }

    /** The dotted config key or variable name the problem is about. */
    public String key() {
        return key;
    }

    /** Where the bad value was set. */
    public ConfigOrigin origin() {
        return origin;
    }
}
