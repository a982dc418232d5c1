package io.kache.core.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A parsed TOML document as far as config validation needs it: tables, scalars and "something
 * else" (arrays, dates), each with the line it was written on. Both TOML readers produce it, so
 * validation does not care which one parsed the file.
 */
sealed interface TomlNode permits TomlNode.Scalar, TomlNode.Table, TomlNode.Other {

    /** The 1-based line of the key or table header; 0 if unknown. */
    int line();

    /** A string, {@link Long}, {@link Double} or {@link Boolean}. */
    record Scalar(Object value, int line) implements TomlNode {
    }

    /** An array, date or time: never a valid kache setting, kept only to report it. */
    record Other(String kind, int line) implements TomlNode {
    }

    /** A table; entries keep their order in the file. */
    record Table(Map<String, TomlNode> entries, int line) implements TomlNode {
        public Table {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }
    }
}
