package io.kache.core.remote.s3;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The INI dialect of {@code ~/.aws/credentials} and {@code ~/.aws/config}: {@code [section]}
 * headers, {@code key = value} lines, {@code #} and {@code ;} comments (whole-line, or inline after
 * whitespace), and indented sub-properties (e.g. under {@code s3 =}), which are skipped. Property
 * names are matched case-insensitively; a repeated section merges into the first, later keys win.
 *
 * @param sections section name → properties (names lowercased), in file order
 */
record IniFile(Map<String, Map<String, String>> sections) {

    IniFile {
        sections = Map.copyOf(sections);
    }

    /** An empty file, for a path that does not exist. */
    static IniFile empty() {
        return new IniFile(Map.of());
    }

    /**
     * Reads {@code file}; a missing file is empty, not an error, because most users have only one
     * of the two AWS files.
     */
    static IniFile read(Path file) throws IOException {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return empty();
        }
    }

    static IniFile parse(String text) {
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        Map<String, String> current = null;
        boolean inSubProperties = false;
        for (String raw : text.split("\r?\n", -1)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            boolean indented = Character.isWhitespace(raw.charAt(0));
            if (line.startsWith("[")) {
                int close = line.indexOf(']');
                // A malformed header starts a section nobody can name, so its keys are ignored.
                String name = close > 0 ? line.substring(1, close).strip() : null;
                current = name == null ? null : sections.computeIfAbsent(name, n -> new LinkedHashMap<>());
                inSubProperties = false;
                continue;
            }
            if (indented && inSubProperties) {
                continue;
            }
            int eq = line.indexOf('=');
            if (current == null || eq <= 0) {
                continue;
            }
            String key = line.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = stripInlineComment(line.substring(eq + 1)).strip();
            inSubProperties = value.isEmpty();
            current.put(key, value);
        }
        Map<String, Map<String, String>> frozen = new LinkedHashMap<>();
        sections.forEach((name, props) -> frozen.put(name, Map.copyOf(props)));
        return new IniFile(frozen);
    }

    private static String stripInlineComment(String value) {
        for (int i = 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c == '#' || c == ';') && Character.isWhitespace(value.charAt(i - 1))) {
                return value.substring(0, i);
            }
        }
        return value;
    }

    Optional<Map<String, String>> section(String name) {
        return Optional.ofNullable(sections.get(name));
    }
}
