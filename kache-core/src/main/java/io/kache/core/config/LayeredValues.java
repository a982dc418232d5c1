package io.kache.core.config;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Looks a key up in the layers, strongest first: environment, then file, then default. Records the
 * origin of every value handed out, for {@code kache config}.
 */
final class LayeredValues {

    private final Map<String, String> env;
    private final Optional<ConfigFileValues> file;
    private final Map<ConfigKey, ConfigOrigin> origins = new EnumMap<>(ConfigKey.class);

    LayeredValues(Map<String, String> env, Optional<ConfigFileValues> file) {
        this.env = env;
        this.file = file;
    }

    /** The raw value from the environment (when {@code useEnv}) or else the file. */
    Optional<RawValue> raw(ConfigKey key, boolean useEnv) {
        if (useEnv && key.envVar().isPresent()) {
            String v = env.get(key.envVar().get());
            // An empty variable counts as unset, as in most shells' idiom VAR= to clear a setting.
            if (v != null && !v.isEmpty()) {
                return Optional.of(new RawValue(v, ConfigOrigin.env(key.envVar().get())));
            }
        }
        return fileValue(key);
    }

    Optional<RawValue> fileValue(ConfigKey key) {
        return file.flatMap(f -> f.get(key));
    }

    /** The parsed value from the strongest layer that sets it, if any. */
    <T> Optional<T> find(ConfigKey key, boolean useEnv, ConfigValues.Parser<T> parser) {
        Optional<RawValue> raw = raw(key, useEnv);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        T value = parser.parse(key, raw.get());
        origins.put(key, raw.get().origin());
        return Optional.of(value);
    }

    <T> Optional<T> find(ConfigKey key, ConfigValues.Parser<T> parser) {
        return find(key, true, parser);
    }

    /** The parsed value, or {@code fallback} (computed only when needed) recorded as the default. */
    <T> T get(ConfigKey key, boolean useEnv, ConfigValues.Parser<T> parser, Supplier<T> fallback) {
        Optional<T> found = find(key, useEnv, parser);
        if (found.isPresent()) {
            return found.get();
        }
        origins.put(key, ConfigOrigin.DEFAULT);
        return fallback.get();
    }

    <T> T get(ConfigKey key, ConfigValues.Parser<T> parser, T fallback) {
        return get(key, true, parser, () -> fallback);
    }

    void record(ConfigKey key, ConfigOrigin origin) {
        origins.put(key, origin);
    }

    Map<ConfigKey, ConfigOrigin> origins() {
        return origins;
    }
}
