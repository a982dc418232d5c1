package io.kache.core.config;

import java.util.Objects;

/**
 * One line of {@code kache config}: a key, its value as shown (secrets already masked) and where
 * the value came from.
 *
 * @param key the dotted key, e.g. {@code cache.compression_level}
 * @param value the value for display; a secret shows only {@code (set)} or {@code (not set)}
 * @param source an environment variable's name, a file's path, {@code default} or {@code search}
 */
public record ConfigEntry(String key, String value, String source) {

    public ConfigEntry {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(source, "source");
    }
}
