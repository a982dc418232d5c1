package io.kache.core.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads one config file into {@link ConfigFileValues}: plain files through
 * {@link SimpleTomlParser}, anything else through tomlj ({@link TomljReader}).
 *
 * <p>Unknown keys in {@code [cache]} or at the top level are errors: a misspelt
 * {@code compresion_level} must not silently leave the default in place. Unknown keys in
 * {@code [cache.remote]} are kept as options: only the remote's type tells whether they are a custom
 * backend's options or misspellings ({@link RemoteConfigResolver}).
 */
final class ConfigFileReader {

    // Credentials in a file that is usually checked in would leak; they come from the environment or a profile.
    private static final Set<String> CREDENTIAL_KEYS = Set.of(
            "access_key", "secret_key", "access_key_id", "secret_access_key", "session_token",
            // The AWS files' own spellings, pasted from ~/.aws/credentials.
            "aws_access_key_id", "aws_secret_access_key", "aws_session_token");

    private final Path file;
    private final Map<ConfigKey, RawValue> values = new EnumMap<>(ConfigKey.class);
    private final Map<String, RawValue> options = new HashMap<>();

    private ConfigFileReader(Path file) {
        this.file = file;
    }

    static ConfigFileValues read(Path file) {
        return new ConfigFileReader(file).read();
    }

    private ConfigFileValues read() {
        String text = text();
        TomlNode.Table doc = SimpleTomlParser.parse(text).orElseGet(() -> TomljReader.read(file, text));
        Optional<ConfigOrigin> remoteTable = Optional.empty();
        for (Map.Entry<String, TomlNode> top : doc.entries().entrySet()) {
            if (!top.getKey().equals("cache")) {
                throw new ConfigException(top.getKey(), at(top.getValue()), "unknown key"
                        + Spelling.didYouMean(top.getKey(), Set.of("cache")) + "; allowed: the [cache] table");
            }
            TomlNode.Table cache = table("cache", top.getValue());
            for (Map.Entry<String, TomlNode> e : cache.entries().entrySet()) {
                if (e.getKey().equals("remote")) {
                    remoteTable = Optional.of(at(e.getValue()));
                    readRemote(table("cache.remote", e.getValue()));
                } else {
                    String dotted = "cache." + e.getKey();
                    ConfigKey key = find(e.getKey(), false).orElseThrow(() -> new ConfigException(dotted,
                            at(e.getValue()), "unknown key" + Spelling.didYouMean(e.getKey(), keyNames(false))
                            + "; allowed: " + allowedKeys(false)));
                    values.put(key, scalar(dotted, e.getValue()));
                }
            }
        }
        return new ConfigFileValues(file, values, remoteTable, options);
    }

    private void readRemote(TomlNode.Table remote) {
        for (Map.Entry<String, TomlNode> e : remote.entries().entrySet()) {
            String dotted = "cache.remote." + e.getKey();
            if (CREDENTIAL_KEYS.contains(e.getKey())) {
                throw new ConfigException(dotted, at(e.getValue()), "credentials do not belong in a config file;"
                        + " allowed: KACHE_S3_ACCESS_KEY and KACHE_S3_SECRET_KEY in the environment,"
                        + " or profile = \"name\" for an AWS profile");
            }
            // kache config shows these after the options, so an option of that name would be listed
            // twice: a JSON object with one key twice.
            if (dotted.equals(ConfigReport.PROVIDER) || dotted.equals(ConfigReport.CREDENTIALS)) {
                throw new ConfigException(dotted, at(e.getValue()), "is the name kache config gives to what it"
                        + " reports of the remote; allowed: another name for this option");
            }
            Optional<ConfigKey> known = find(e.getKey(), true);
            RawValue value = scalar(dotted, e.getValue());
            if (known.isPresent()) {
                values.put(known.get(), value);
            } else {
                options.put(e.getKey(), value);
            }
        }
    }

    private String text() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException("config file", ConfigOrigin.file(file, 0), "cannot be read: " + e);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException("config file", ConfigOrigin.file(file, 0), "is not valid UTF-8;"
                    + " allowed: a UTF-8 TOML file");
        }
    }

    private static Optional<ConfigKey> find(String tableKey, boolean remote) {
        for (ConfigKey k : ConfigKey.values()) {
            if (k.inFile() && k.inRemoteTable() == remote && k.tableKey().equals(tableKey)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    private static Set<String> keyNames(boolean remote) {
        Set<String> names = new TreeSet<>();
        for (ConfigKey k : ConfigKey.values()) {
            if (k.inFile() && k.inRemoteTable() == remote) {
                names.add(k.tableKey());
            }
        }
        names.add("remote");
        return names;
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
        return String.join(", ", names);
    }

    private TomlNode.Table table(String dotted, TomlNode node) {
        if (node instanceof TomlNode.Table t) {
            return t;
        }
        throw new ConfigException(dotted, at(node), "is not a table; allowed: [" + dotted + "]");
    }

    private RawValue scalar(String dotted, TomlNode node) {
        if (node instanceof TomlNode.Scalar s) {
            return new RawValue(s.value(), at(node));
        }
        String kind = node instanceof TomlNode.Other o ? o.kind() : "table";
        throw new ConfigException(dotted, at(node), "is a " + kind + "; allowed: a string, number or boolean");
    }

    private ConfigOrigin at(TomlNode node) {
        return ConfigOrigin.file(file, node.line());
    }
}
