package io.kache.core.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.tomlj.Toml;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * Reads one {@code .kache.toml}. The only class that touches tomlj, so a build without a config
 * file never loads the TOML parser.
 *
 * <p>Unknown keys in {@code [cache]} or at the top level are errors: a misspelt
 * {@code compresion_level} must not silently leave the default in place. Unknown keys in
 * {@code [cache.remote]} are passed on to custom backends.
 */
final class TomlConfigFile {

    // Credentials in a file that is usually checked in would leak; they come from the environment or a profile.
    private static final Set<String> CREDENTIAL_KEYS = Set.of(
            "access_key", "secret_key", "access_key_id", "secret_access_key", "session_token");

    private final Path file;

    private TomlConfigFile(Path file) {
        this.file = file;
    }

    static ConfigFileValues read(Path file) {
        return new TomlConfigFile(file).read();
    }

    private ConfigFileValues read() {
        TomlParseResult toml;
        try {
            toml = Toml.parse(file);
        } catch (IOException e) {
            throw new ConfigException("config file", ConfigOrigin.file(file, 0), "cannot be read: " + e);
        }
        if (toml.hasErrors()) {
            TomlParseError error = toml.errors().get(0);
            throw new ConfigException("syntax", at(error.position()), "TOML syntax error: " + error.getMessage()
                    + "; allowed: a valid TOML file (https://toml.io)");
        }
        for (String key : toml.keySet()) {
            if (!key.equals("cache")) {
                throw new ConfigException(key, at(toml.inputPositionOf(List.of(key))), "unknown key; allowed: the [cache] table");
            }
        }
        Map<ConfigKey, RawValue> values = new EnumMap<>(ConfigKey.class);
        Map<String, String> options = new HashMap<>();
        Optional<ConfigOrigin> remoteTable = Optional.empty();
        if (toml.contains("cache")) {
            TomlTable cache = table(toml, "cache", toml.get(List.of("cache")));
            for (String key : cache.keySet()) {
                if (key.equals("remote")) {
                    TomlTable remote = table(cache, "cache.remote", cache.get(List.of(key)));
                    remoteTable = Optional.of(at(cache.inputPositionOf(List.of(key))));
                    readRemote(remote, values, options);
                } else {
                    values.put(known(cache, key, false), scalar(cache, "cache." + key));
                }
            }
        }
        return new ConfigFileValues(file, values, remoteTable, options);
    }

    private void readRemote(TomlTable remote, Map<ConfigKey, RawValue> values, Map<String, String> options) {
        for (String key : remote.keySet()) {
            String dotted = "cache.remote." + key;
            if (CREDENTIAL_KEYS.contains(key)) {
                throw new ConfigException(dotted, at(remote.inputPositionOf(List.of(key))), "credentials do not belong in a"
                        + " config file; allowed: KACHE_S3_ACCESS_KEY and KACHE_S3_SECRET_KEY in the environment,"
                        + " or profile = \"name\" for an AWS profile");
            }
            Optional<ConfigKey> known = find(key, true);
            if (known.isPresent()) {
                values.put(known.get(), scalar(remote, dotted));
            } else {
                options.put(key, String.valueOf(scalar(remote, dotted).value()));
            }
        }
    }

    private ConfigKey known(TomlTable table, String key, boolean remote) {
        return find(key, remote).orElseThrow(() -> new ConfigException("cache." + key, at(table.inputPositionOf(List.of(key))),
                "unknown key; allowed: " + allowedKeys(remote)));
    }

    private static Optional<ConfigKey> find(String tableKey, boolean remote) {
        for (ConfigKey k : ConfigKey.values()) {
            if (k.inFile() && k.inRemoteTable() == remote && k.tableKey().equals(tableKey)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    private static String allowedKeys(boolean remote) {
        Set<String> names = new TreeSet<>();
        for (ConfigKey k : ConfigKey.values()) {
            if (k.inFile() && k.inRemoteTable() == remote) {
                names.add(k.tableKey());
            }
        }
        if (!remote) {
            names.add("[cache.remote]");
        }
        return names.stream().collect(Collectors.joining(", "));
    }

    private TomlTable table(TomlTable parent, String dotted, Object value) {
        if (value instanceof TomlTable t) {
            return t;
        }
        String key = dotted.substring(dotted.lastIndexOf('.') + 1);
        throw new ConfigException(dotted, at(parent.inputPositionOf(List.of(key))), "is not a table; allowed: [" + dotted + "]");
    }

    private RawValue scalar(TomlTable table, String dotted) {
        String key = dotted.substring(dotted.lastIndexOf('.') + 1);
        Object value = table.get(List.of(key));
        ConfigOrigin origin = at(table.inputPositionOf(List.of(key)));
        if (value instanceof String || value instanceof Long || value instanceof Double || value instanceof Boolean) {
            return new RawValue(value, origin);
        }
        throw new ConfigException(dotted, origin, "is a " + (value instanceof TomlTable ? "table" : "non-scalar value")
                + "; allowed: a string, number or boolean");
    }

    private ConfigOrigin at(TomlPosition position) {
        return ConfigOrigin.file(file, position == null ? 0 : position.line());
    }
}
