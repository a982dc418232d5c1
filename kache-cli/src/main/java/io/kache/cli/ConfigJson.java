package io.kache.cli;

import io.kache.core.config.ConfigEntry;
import java.util.List;

/**
 * Renders {@code kache config --json}: one object mapping each key to {@code {"value", "source"}},
 * in the order of the text output. Values are strings, as shown in the text output, but for
 * sizes, which are numbers of bytes.
 */
final class ConfigJson {

    private ConfigJson() {
    }

    static String render(List<ConfigEntry> entries) {
        StringBuilder sb = new StringBuilder("{\n");
        for (int i = 0; i < entries.size(); i++) {
            ConfigEntry e = entries.get(i);
            String value = e.bytes().map(String::valueOf).orElseGet(() -> JsonText.quote(e.value()));
            sb.append("  ").append(JsonText.quote(e.key())).append(": {\"value\": ").append(value)
                    .append(", \"source\": ").append(JsonText.quote(e.source())).append('}')
                    .append(i + 1 < entries.size() ? ",\n" : "\n");
        }
        return sb.append("}\n").toString();
    }
}
