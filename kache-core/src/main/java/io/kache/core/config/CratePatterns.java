package io.kache.core.config;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code bypass_crates}: crates kache never caches, by rustc crate name ({@code -} read as
 * {@code _}) or glob, separated by commas or whitespace.
 *
 * @param patterns in the order written
 */
public record CratePatterns(List<NamePattern> patterns) {

    /** No crate. */
    public static final CratePatterns NONE = new CratePatterns(List.of());

    public CratePatterns {
        patterns = List.copyOf(patterns);
    }

    /** @throws IllegalArgumentException naming the item that is not a crate name or glob */
    public static CratePatterns parse(String text) {
        List<NamePattern> out = new ArrayList<>();
        for (String item : NameList.items(text)) {
            out.add(new NamePattern(NameList.crateName(item)));
        }
        return new CratePatterns(out);
    }

    /** Whether {@code crateName} (as rustc's {@code --crate-name} spells it) is one of these. */
    public boolean matches(String crateName) {
        for (NamePattern p : patterns) {
            if (p.matches(crateName)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return String.join(", ", patterns.stream().map(NamePattern::text).toList());
    }
}
