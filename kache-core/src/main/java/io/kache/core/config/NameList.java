package io.kache.core.config;

import java.util.ArrayList;
import java.util.List;

/** The list syntax of {@code key_env_vars} and {@code bypass_crates}: items separated by commas or whitespace. */
final class NameList {

    private NameList() {
    }

    static List<String> items(String text) {
        List<String> out = new ArrayList<>();
        for (String item : text.split("[,\\s]+")) {
            if (!item.isEmpty()) {
                out.add(item);
            }
        }
        return out;
    }

    /** A crate name as rustc's {@code --crate-name} spells it: cargo's {@code my-crate} is {@code my_crate}. */
    static String crateName(String name) {
        return name.replace('-', '_');
    }
}
