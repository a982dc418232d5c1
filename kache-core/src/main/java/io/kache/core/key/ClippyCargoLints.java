package io.kache.core.key;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Whether a clippy-driver call may run clippy's {@code cargo} lint group, whose inputs kache cannot
 * key: when one of them is not allowed at the crate root, clippy-driver runs {@code cargo metadata}
 * and reads every member manifest of the workspace, {@code Cargo.lock} and the dependency graph,
 * none of which its dep-info lists ({@code clippy_lints/src/cargo/mod.rs}, clippy 1.95). Such a
 * call runs unchanged, or a manifest fixed or broken since would replay the old verdict.
 *
 * <p>A level can come from the call's arguments (a {@code -W}/{@code -D}/{@code --warn=}… flag,
 * which is also where cargo puts {@code [lints.clippy]}), from {@code CLIPPY_ARGS} (what
 * {@code cargo clippy -- …} passes) or from an attribute of the crate root. The check is a text
 * search of those for {@code clippy::cargo} or a lint of the group, in rustc's spellings (either
 * case, {@code -} for {@code _}): a mention that enables nothing ({@code -A clippy::cargo}, a
 * comment) only costs a pass-through.
 */
public final class ClippyCargoLints {

    /** The reason such a call is counted under in {@code kache stats} (its characters are kept there as they are). */
    public static final String REASON = "clippy cargo lints read every manifest of the workspace";

    /** The group and its lints in clippy 1.95. */
    static final List<String> NAMES = List.of("cargo", "cargo_common_metadata", "multiple_crate_versions",
            "negative_feature_names", "redundant_feature_names", "wildcard_dependencies");

    /** A path may have spaces around {@code ::}; a longer name is another lint. */
    private static final Pattern NAMED = Pattern.compile(
            "clippy\\s*::\\s*(?:" + String.join("|", NAMES) + ")(?![a-z0-9_])");

    /** How cargo-clippy joins the arguments it passes in {@code CLIPPY_ARGS} (each one ends with it). */
    private static final String CLIPPY_ARGS_SEPARATOR = "__CLIPPY_HACKERY__";

    private ClippyCargoLints() {
    }

    /**
     * Where the call may enable a lint of the group, or empty when nothing does.
     *
     * @param args the call's arguments to rustc
     * @param env the call's environment
     * @param crateRoot the crate's root source file; one that cannot be read counts as a mention
     */
    public static Optional<String> enabledBy(List<String> args, Map<String, String> env, Path crateRoot) {
        for (String arg : args) {
            if (names(arg)) {
                return Optional.of("argument " + arg);
            }
        }
        String clippyArgs = env.getOrDefault("CLIPPY_ARGS", "");
        for (String arg : clippyArgs.split(CLIPPY_ARGS_SEPARATOR)) {
            if (names(arg)) {
                return Optional.of("CLIPPY_ARGS " + arg);
            }
        }
        try {
            // Latin-1 never fails to decode, and the names are ASCII.
            if (names(new String(Files.readAllBytes(crateRoot), StandardCharsets.ISO_8859_1))) {
                return Optional.of("crate root " + crateRoot);
            }
        } catch (IOException e) {
            return Optional.of("crate root " + crateRoot + " unreadable (" + e.getMessage() + ")");
        }
        return Optional.empty();
    }

    /** Whether {@code text} names the group or one of its lints. */
    static boolean names(String text) {
        return NAMED.matcher(text.toLowerCase(Locale.ROOT).replace('-', '_')).find();
    }
}
