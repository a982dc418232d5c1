package io.kache.core.config;

import io.kache.api.ArtifactLayout;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns raw values into typed ones. Each parser refuses what it cannot read with a
 * {@link ConfigException} naming the key, where the value was set and what is allowed; nothing is
 * clamped or guessed, because a silently "fixed" setting is a typo nobody notices.
 */
final class ConfigValues {

    /** Parses the raw value of one key. */
    @FunctionalInterface
    interface Parser<T> {
        T parse(ConfigKey key, RawValue raw);
    }

    private static final Pattern TYPE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final Pattern REGION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final Pattern BUCKET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");

    private ConfigValues() {
    }

    static String string(ConfigKey key, RawValue raw) {
        if (!(raw.value() instanceof String s)) {
            throw new ConfigException(key.key(), raw.origin(), raw.shown() + " is not a string; allowed: a quoted string");
        }
        return s;
    }

    static String nonBlank(ConfigKey key, RawValue raw) {
        String s = string(key, raw);
        if (s.isBlank()) {
            throw new ConfigException(key.key(), raw.origin(), "is empty; allowed: a non-empty string");
        }
        return s.strip();
    }

    static Parser<Integer> integer(int min, int max) {
        return (key, raw) -> {
            long n;
            if (raw.value() instanceof Long l) {
                n = l;
            } else if (raw.value() instanceof String s && s.strip().matches("[+-]?\\d{1,18}")) {
                n = Long.parseLong(s.strip());
            } else {
                throw new ConfigException(key.key(), raw.origin(), raw.shown() + " is not an integer; allowed: an integer from "
                        + min + " to " + max);
            }
            if (n < min || n > max) {
                throw new ConfigException(key.key(), raw.origin(), n + " is out of range; allowed: an integer from "
                        + min + " to " + max);
            }
            return (int) n;
        };
    }

    static boolean bool(ConfigKey key, RawValue raw) {
        if (raw.value() instanceof Boolean b) {
            return b;
        }
        if (raw.value() instanceof String s) {
            switch (s.strip().toLowerCase(Locale.ROOT)) {
                case "true", "1", "yes":
                    return true;
                case "false", "0", "no":
                    return false;
                default:
                    break;
            }
        }
        throw new ConfigException(key.key(), raw.origin(), raw.shown()
                + " is not a boolean; allowed: true, false, 1, 0, yes, no (any case)");
    }

    static long size(ConfigKey key, RawValue raw) {
        long bytes;
        if (raw.value() instanceof Long l) {
            bytes = l;
        } else if (raw.value() instanceof String s) {
            try {
                bytes = ByteSize.parse(s);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key.key(), raw.origin(), e.getMessage());
            }
        } else {
            throw new ConfigException(key.key(), raw.origin(), raw.shown() + " is not a size; allowed: a number of bytes"
                    + " or a string such as \"50GiB\" or \"500MB\"");
        }
        if (bytes <= 0) {
            throw new ConfigException(key.key(), raw.origin(), raw.shown() + " is not positive; allowed: a size above 0,"
                    + " e.g. \"50GiB\"");
        }
        return bytes;
    }

    static KeyEnvVars keyEnvVars(ConfigKey key, RawValue raw) {
        try {
            return KeyEnvVars.parse(string(key, raw));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key.key(), raw.origin(), e.getMessage() + "; allowed: names separated by commas"
                    + " or spaces, each VAR or CRATE:VAR, * in VAR for any run of characters (e.g. \"SQLX_*, my_app:DATABASE_URL\")");
        }
    }

    static CratePatterns crates(ConfigKey key, RawValue raw) {
        try {
            return CratePatterns.parse(string(key, raw));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key.key(), raw.origin(), e.getMessage() + "; allowed: crate names separated by"
                    + " commas or spaces, * for any run of characters (e.g. \"my_macros, sqlx_*\")");
        }
    }

    static Duration duration(ConfigKey key, RawValue raw) {
        Duration d;
        try {
            d = DurationValue.parse(string(key, raw));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key.key(), raw.origin(), e.getMessage());
        }
        if (d.isZero()) {
            throw new ConfigException(key.key(), raw.origin(), raw.shown() + " is zero; allowed: a positive duration"
                    + " such as \"500ms\", \"3s\" or \"1m\"");
        }
        return d;
    }

    /**
     * A path: relative paths in a file are taken from the file's directory (so a checked-in
     * {@code .kache.toml} means the same wherever the checkout lives), in the environment from the
     * working directory.
     */
    static Parser<Path> path(UserDirs dirs, Path cwd) {
        return (key, raw) -> {
            String text = nonBlank(key, raw);
            Path base = raw.origin().kind() == ConfigOrigin.Kind.FILE
                    ? Path.of(raw.origin().name()).getParent()
                    : cwd;
            try {
                return dirs.resolve(text, base);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key.key(), raw.origin(), e.getMessage());
            }
        };
    }

    static URI endpoint(ConfigKey key, RawValue raw) {
        String text = nonBlank(key, raw);
        String allowed = "; allowed: an http:// or https:// URL with a host, e.g. https://s3.example.com or http://127.0.0.1:9000";
        // Before parsing: a value that does not parse may carry credentials all the same, and with
        // no '@' past here, no message below can show any (not even as a "scheme": KEY:SECRET@host).
        if (UrlUserInfo.mayCarry(text)) {
            throw new ConfigException(key.key(), raw.origin(), raw.shown() + " has user info (an '@');"
                    + " credentials go in KACHE_S3_ACCESS_KEY and KACHE_S3_SECRET_KEY" + allowed);
        }
        // A query or fragment is never part of an S3 endpoint, and one may carry a token (?X-Amz-Signature=,
        // ?token=): refused, with the value shown only up to it. Before parsing, for the same reason as above.
        int query = indexOfAny(text, "?#");
        if (query >= 0) {
            throw new ConfigException(key.key(), raw.origin(), new RawValue(text.substring(0, query), raw.origin()).shown()
                    + " is followed by a " + (text.charAt(query) == '?' ? "query string ('?…')" : "fragment ('#…')")
                    + ", not shown; an S3 endpoint has none" + allowed);
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new ConfigException(key.key(), raw.origin(), raw.shown() + " is not a URL" + allowed);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ConfigException(key.key(), raw.origin(), raw.shown() + " has scheme '" + scheme + "'" + allowed);
        }
        if (uri.getHost() == null) {
            throw new ConfigException(key.key(), raw.origin(), raw.shown() + " has no host" + allowed);
        }
        return uri;
    }

    private static int indexOfAny(String text, String chars) {
        for (int i = 0; i < text.length(); i++) {
            if (chars.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    static String prefix(ConfigKey key, RawValue raw) {
        try {
            return ArtifactLayout.normalizePrefix(string(key, raw));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key.key(), raw.origin(), e.getMessage()
                    + "; allowed: '/'-separated names without '.', '..' or '\\', e.g. \"artifacts\" or \"team/kache\"");
        }
    }

    static String type(ConfigKey key, RawValue raw) {
        return matching(key, raw, TYPE, "a remote type such as \"s3\" or \"filesystem\"");
    }

    static String region(ConfigKey key, RawValue raw) {
        return matching(key, raw, REGION, "a region name such as \"us-east-1\", or \"auto\"");
    }

    static String bucket(ConfigKey key, RawValue raw) {
        return matching(key, raw, BUCKET, "a bucket name of letters, digits, '.', '-' and '_'");
    }

    private static String matching(ConfigKey key, RawValue raw, Pattern pattern, String allowed) {
        String s = nonBlank(key, raw);
        if (!pattern.matcher(s).matches()) {
            throw new ConfigException(key.key(), raw.origin(), raw.shown() + " is not valid; allowed: " + allowed);
        }
        return s;
    }
}
