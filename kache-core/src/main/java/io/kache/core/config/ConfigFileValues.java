package io.kache.core.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What one config file sets, already checked for unknown keys; values are not parsed yet.
 *
 * @param file the file
 * @param values the known keys it sets, {@code [cache]} and {@code [cache.remote]}
 * @param remoteTable where {@code [cache.remote]} was opened, if it was
 * @param options the other scalar keys of {@code [cache.remote]}, with where each was set: options of
 *     custom backends, or misspellings for {@link RemoteConfigResolver} to refuse
 */
record ConfigFileValues(Path file, Map<ConfigKey, RawValue> values, Optional<ConfigOrigin> remoteTable,
                        Map<String, RawValue> options) {

    ConfigFileValues {
        values = Map.copyOf(values);
        options = Map.copyOf(options);
    }

    Optional<RawValue> get(ConfigKey key) {
        return Optional.ofNullable(values.get(key));
    }
}
