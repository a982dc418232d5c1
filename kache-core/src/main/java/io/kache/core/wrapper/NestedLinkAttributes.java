package io.kache.core.wrapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A {@code #[link(name = "sub/libx.a", …)]} attribute in a crate's sources: rustc looks that name up
 * below each native search directory, in a subdirectory the key does not read (the key holds the
 * files directly in each search directory, and the names a {@code -l} of the call gives; an
 * attribute is in no argument). A stale library was bundled into the rlib after the library changed
 * (found by a hunt), so such a compile is not stored. Only the miss path reads this, from the
 * sources the dep-info lists; the attribute's name must be a string literal, which a byte search finds.
 */
final class NestedLinkAttributes {

    /** {@code link(} … {@code name = "…/…"} (or a raw string) within one attribute's parentheses. */
    private static final Pattern NESTED = Pattern.compile("\\blink\\s*\\([^)]*?\\bname\\s*=\\s*r?#*\"[^\"]*/[^\"]*\"");

    private NestedLinkAttributes() {
    }

    /** The first Rust source among {@code inputs} with such an attribute, or empty. */
    static Optional<Path> firstIn(List<String> inputs, Path cwd) throws IOException {
        for (String input : inputs) {
            Path file = cwd.resolve(input);
            if (!input.endsWith(".rs") || !Files.isRegularFile(file)) {
                continue;
            }
            String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            if (text.contains("link") && NESTED.matcher(text).find()) {
                return Optional.of(file);
            }
        }
        return Optional.empty();
    }
}
