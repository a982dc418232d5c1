package io.kache.core.config;

import java.util.Objects;

/**
 * One value as written, before parsing: a {@link String} from the environment, or a TOML scalar
 * ({@link String}, {@link Long}, {@link Double}, {@link Boolean}) from the file.
 */
record RawValue(Object value, ConfigOrigin origin) {

    RawValue {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(origin, "origin");
    }

    /**
     * The value for an error message: strings quoted, cut short, and with what may be a URL's user
     * info masked ({@link UrlUserInfo}): a URL with credentials in it may be set on any key, not only
     * on the endpoint. Never call this for a secret.
     */
    String shown() {
        if (value instanceof String raw) {
            String s = UrlUserInfo.masked(raw);
            return "'" + (s.length() > 80 ? s.substring(0, 80) + "…" : s) + "'";
        }
        return String.valueOf(value);
    }
}
