package io.kache.core.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * Full TOML through tomlj, for files outside {@link SimpleTomlParser}'s subset. The only class that
 * touches tomlj: loading it costs a cold JVM over 100 ms, which a rustc call should not pay for a
 * plain config file.
 */
final class TomljReader {

    private TomljReader() {
    }

    /**
     * @throws ConfigException for a syntax error, naming the file and line
     */
    static TomlNode.Table read(Path file, String text) {
        TomlParseResult toml = Toml.parse(text);
        if (toml.hasErrors()) {
            TomlParseError error = toml.errors().get(0);
            throw new ConfigException("syntax", ConfigOrigin.file(file, line(error.position())),
                    "TOML syntax error: " + error.getMessage() + "; allowed: a valid TOML file (https://toml.io)");
        }
        return convert(toml, 1);
    }

    private static TomlNode.Table convert(TomlTable table, int line) {
        Map<String, TomlNode> entries = new LinkedHashMap<>();
        for (String key : table.keySet()) {
            List<String> path = List.of(key);
            Object value = table.get(path);
            int at = line(table.inputPositionOf(path));
            entries.put(key, node(value, at));
        }
        return new TomlNode.Table(entries, line);
    }

    private static TomlNode node(Object value, int line) {
        if (value instanceof TomlTable t) {
            return convert(t, line);
        }
        if (value instanceof String || value instanceof Long || value instanceof Double || value instanceof Boolean) {
            return new TomlNode.Scalar(value, line);
        }
        return new TomlNode.Other(value instanceof TomlArray ? "array" : "date or time", line);
    }

    private static int line(TomlPosition position) {
        return position == null ? 0 : position.line();
    }
}
