package io.kache.core.entry;

import java.util.Objects;

/**
 * What rustc printed for an entry's compile with one set of diagnostic flags ({@code --error-format},
 * {@code --json}, {@code --color}, {@code --diagnostic-width}): those flags only shape how diagnostics
 * are printed, not which exist nor the output files, so one entry serves every rendering it was given
 * (see {@link EntryManifest#renderedWith}). All text, normalized to path sentinels as the wrapper
 * stores it.
 *
 * @param flags the diagnostic flags, in the wrapper's canonical form (sorted, space-separated)
 * @param stdout what rustc wrote to stdout
 * @param stderr its diagnostics on stderr
 * @param notifications its JSON artifact notifications, empty when the call did not ask for them
 */
public record Rendering(String flags, String stdout, String stderr, String notifications) {

    public Rendering {
        Objects.requireNonNull(flags, "flags");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        Objects.requireNonNull(notifications, "notifications");
        if (!Unicode.isWellFormed(flags) || !Unicode.isWellFormed(stdout) || !Unicode.isWellFormed(stderr)
                || !Unicode.isWellFormed(notifications)) {
            throw new IllegalArgumentException("a rendering of diagnostics is not valid Unicode");
        }
    }

    /** Its length in chars, what {@link EntryManifest#MAX_RENDERING_CHARS} bounds. */
    public long chars() {
        return (long) flags.length() + stdout.length() + stderr.length() + notifications.length();
    }
}
