package io.kache.cli;

import io.kache.core.config.ConfigEntry;
import java.util.List;

/**
 * Renders {@code kache config --json}: one object mapping each key to {@code {"value", "source"}},
 * in the order of the text output. Values are strings, as shown in the text output.
 */
final class ConfigJson {

    private ConfigJson() {
    }

    static String render(List<ConfigEntry> entries) {
        StringBuilder sb = new StringBuilder("{\n");
        for (int i = 0; i < entries.size(); i++) {
            ConfigEntry e = entries.get(i);
            sb.append("  ").append(quote(e.key())).append(": {\"value\": ").append(quote(e.value()))
                    .append(", \"source\": ").append(quote(e.source())).append('}')
                    .append(i + 1 < entries.size() ? ",\n" : "\n");
        }
        return sb.append("}\n").toString();
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
