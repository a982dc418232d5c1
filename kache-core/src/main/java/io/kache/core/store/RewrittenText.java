package io.kache.core.store;

import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * One file of an entry that is restored as its text rewritten, not as its blob's bytes: rustc's
 * dep-info, whose paths the entry keeps as sentinels and the call needs spelled out. Written once,
 * in place of the plain restore and a second write over it: replacing a just-written file by
 * rename makes ext4 flush its data first (auto_da_alloc), a millisecond on every hit.
 *
 * @param name the file's name in the entry
 * @param rewrite what the file's UTF-8 text becomes
 */
public record RewrittenText(String name, UnaryOperator<String> rewrite) {

    public RewrittenText {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(rewrite, "rewrite");
    }
}
