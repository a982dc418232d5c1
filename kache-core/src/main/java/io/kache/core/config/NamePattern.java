package io.kache.core.config;

import java.util.regex.Pattern;

/**
 * A name or a simple glob: {@code *} stands for any run of characters, everything else for itself
 * ({@code SQLX_*}, {@code *_URL}, {@code my_app}).
 *
 * @param text the pattern as written
 */
public record NamePattern(String text) {

    /** Variable names and crate names: letters, digits, {@code _}, {@code -}, with {@code *} for globs. */
    static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9_*-]+");

    public NamePattern {
        if (!ALLOWED.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a name or a glob");
        }
    }

    /** Whether the pattern has a {@code *}, so matches only names that exist rather than one fixed name. */
    public boolean isGlob() {
        return text.indexOf('*') >= 0;
    }

    /** Whether {@code name} matches. */
    public boolean matches(String name) {
        if (!isGlob()) {
            return text.equals(name);
        }
        String[] parts = text.split("\\*", -1);
        if (!name.startsWith(parts[0])) {
            return false;
        }
        int pos = parts[0].length();
        for (int i = 1; i < parts.length - 1; i++) {
            int at = name.indexOf(parts[i], pos);
            if (at < 0) {
                return false;
            }
            pos = at + parts[i].length();
        }
        String last = parts[parts.length - 1];
        return name.length() - pos >= last.length() && name.endsWith(last);
    }

    @Override
    public String toString() {
        return text;
    }
}
