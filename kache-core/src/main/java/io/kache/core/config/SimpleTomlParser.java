package io.kache.core.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fast reader for the plain subset of TOML that config files are written in: {@code [a.b]}
 * headers, {@code key = value} with a bare key and a string without escapes, a decimal integer or a
 * boolean, comments and blank lines. It exists because a cold tomlj parse costs over 100 ms, paid on
 * every rustc call of a build.
 *
 * <p>It never guesses: anything outside the subset (escapes, multi-line strings, dotted or quoted
 * keys, arrays, floats, a repeated key or header) makes it answer empty and the caller uses tomlj,
 * which also reports every syntax error. For a document in the subset both give the same tree.
 */
final class SimpleTomlParser {

    private static final String BARE = "[A-Za-z0-9_-]+";
    private static final String COMMENT = "(?:#[^\\x00-\\x08\\x0a-\\x1f\\x7f]*)?";
    private static final Pattern HEADER = Pattern.compile("[ \\t]*\\[[ \\t]*(" + BARE + "(?:\\." + BARE
            + ")*)[ \\t]*\\][ \\t]*" + COMMENT);
    private static final Pattern BLANK = Pattern.compile("[ \\t]*" + COMMENT);
    private static final Pattern KEY_VALUE = Pattern.compile("[ \\t]*(" + BARE + ")[ \\t]*=[ \\t]*"
            + "(?:\"([^\"\\\\\\x00-\\x08\\x0a-\\x1f\\x7f]*)\"|'([^'\\x00-\\x08\\x0a-\\x1f\\x7f]*)'"
            + "|([+-]?(?:0|[1-9][0-9]{0,17}))|(true|false))[ \\t]*" + COMMENT);

    private SimpleTomlParser() {
    }

    /** The document's tree, or empty when {@code text} is not in the subset. */
    static Optional<TomlNode.Table> parse(String text) {
        if (text.indexOf('\r') >= 0 && text.replace("\r\n", "\n").indexOf('\r') >= 0) {
            return Optional.empty();
        }
        Builder root = new Builder(1);
        Builder current = root;
        String[] lines = text.replace("\r\n", "\n").split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int line = i + 1;
            String l = lines[i];
            Matcher m;
            if (BLANK.matcher(l).matches()) {
                continue;
            }
            if ((m = HEADER.matcher(l)).matches()) {
                current = root.defineTable(List.of(m.group(1).split("\\.")), line);
                if (current == null) {
                    return Optional.empty();
                }
            } else if ((m = KEY_VALUE.matcher(l)).matches()) {
                if (!current.put(m.group(1), new TomlNode.Scalar(value(m), line))) {
                    return Optional.empty();
                }
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(root.build());
    }

    private static Object value(Matcher m) {
        if (m.group(2) != null) {
            return m.group(2);
        }
        if (m.group(3) != null) {
            return m.group(3);
        }
        if (m.group(4) != null) {
            return Long.parseLong(m.group(4));
        }
        return Boolean.parseBoolean(m.group(5));
    }

    /** A table under construction; {@code explicit} once a header named it, since TOML forbids naming it twice. */
    private static final class Builder {
        private final Map<String, Object> entries = new LinkedHashMap<>();
        private int line;
        private boolean explicit;

        Builder(int line) {
            this.line = line;
        }

        /** The table at {@code path}, creating implicit parents; null if that is not plain TOML. */
        Builder defineTable(List<String> path, int at) {
            Builder table = this;
            for (String name : path) {
                Object existing = table.entries.get(name);
                if (existing == null) {
                    Builder child = new Builder(at);
                    table.entries.put(name, child);
                    table = child;
                } else if (existing instanceof Builder b) {
                    table = b;
                } else {
                    return null;
                }
            }
            if (table.explicit) {
                return null;
            }
            // A table first created implicitly by [a.b] is placed where [a] later defines it, as tomlj does.
            table.explicit = true;
            table.line = at;
            return table;
        }

        boolean put(String key, TomlNode.Scalar value) {
            return entries.putIfAbsent(key, value) == null;
        }

        TomlNode.Table build() {
            Map<String, TomlNode> built = new LinkedHashMap<>();
            entries.forEach((k, v) -> built.put(k, v instanceof Builder b ? b.build() : (TomlNode) v));
            return new TomlNode.Table(built, line);
        }
    }
}
