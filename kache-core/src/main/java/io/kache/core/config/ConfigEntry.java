package io.kache.core.config;

import java.util.Objects;
import java.util.Optional;

/**
 * One line of {@code kache config}: a key, its value as shown (secrets already masked) and where
 * the value came from.
 *
 * @param key the dotted key, e.g. {@code cache.compression_level}
 * @param value the value for display; a secret shows only {@code (set)} or {@code (not set)}
 * @param source an environment variable's name, a file's path, {@code default} or {@code search}
 * @param bytes for a size, the number of bytes it stands for: what a machine reads
 */
public record ConfigEntry(String key, String value, String source, Optional<Long> bytes) {

    public ConfigEntry {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(bytes, "bytes");
    }

    /** An entry that is not a size. */
    public ConfigEntry(String key, String value, String source) {
        this(key, value, source, Optional.empty());
    }
}
