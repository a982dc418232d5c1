package io.kache.core.config;

import java.util.Locale;
import java.util.Objects;

/**
 * A credential read from the environment. {@link #toString()} never shows any of its characters,
 * so a secret can sit in records that are logged or printed.
 */
public final class Secret {

    /** What every printout shows instead of a secret's value. */
    public static final String MASK = "****";

    private final String value;

    public Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    /**
     * An access key id as printouts show it: its last four characters, as {@code aws configure list}
     * does, enough to tell two keys apart and too little to use. The id is half of a credential.
     */
    public static String keyId(String id) {
        return id.length() > 8 ? MASK + id.substring(id.length() - 4) : MASK;
    }

    /** The secret's characters; only for handing to a client library, never for output. */
    public String reveal() {
        return value;
    }

    /**
     * Whether an option named {@code key} probably holds a secret (a custom backend's {@code token},
     * {@code password}, {@code api_key}), so printouts mask it.
     */
    public static boolean looksSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("secret") || k.contains("password") || k.contains("passwd") || k.contains("token")
                || k.contains("credential") || k.endsWith("key");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return MASK;
    }
}
