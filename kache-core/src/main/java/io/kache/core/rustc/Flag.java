package io.kache.core.rustc;

import java.util.List;
import java.util.Map;

/**
 * One flag of a rustc command line, in any of its spellings: {@code --flag value},
 * {@code --flag=value}, {@code -X value}, {@code -Xvalue}.
 *
 * @param name the canonical flag name, or {@code null} for a positional argument
 * @param value the value, or {@code null} when the flag takes none (or it was missing)
 * @param tokens the original tokens, to pass to rustc unchanged
 * @param consumedNext whether the value was the next argument
 * @param needsValue whether the flag takes a value
 */
record Flag(String name, String value, List<String> tokens, boolean consumedNext, boolean needsValue) {

    /** Long flags that take a value. */
    private static final List<String> LONG_WITH_VALUE = List.of("--crate-name", "--edition", "--crate-type",
            "--emit", "--codegen", "--cfg", "--check-cfg", "--out-dir", "--extern", "--target", "--error-format",
            "--json", "--color", "--diagnostic-width", "--cap-lints", "--allow", "--warn", "--deny", "--forbid",
            "--force-warn", "--print", "--explain", "--remap-path-prefix", "--sysroot", "--unpretty", "--pretty",
            "--crate-attr", "--env-set", "--extern-location", "--remap-path-scope", "--target-dir", "--out-dir");
    /** Long flags without a value. */
    private static final List<String> LONG_BARE = List.of("--test", "--version", "--help", "--verbose");
    /** Short flags that take a value, attached or as the next token. */
    private static final Map<Character, String> SHORT_WITH_VALUE = Map.of('C', "-C", 'L', "-L", 'l', "-l",
            'Z', "-Z", 'A', "-A", 'W', "-W", 'D', "-D", 'F', "-F", 'o', "-o");

    static Flag split(String arg, String next) {
        if (arg.startsWith("--")) {
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            if (LONG_BARE.contains(name)) {
                return new Flag(name, null, List.of(arg), false, false);
            }
            if (!LONG_WITH_VALUE.contains(name)) {
                return new Flag(name, null, List.of(arg), false, false);
            }
            if (eq >= 0) {
                return new Flag(name, arg.substring(eq + 1), List.of(arg), false, true);
            }
            return next == null ? new Flag(name, null, List.of(arg), false, true)
                    : new Flag(name, next, List.of(arg, next), true, true);
        }
        if (arg.length() >= 2 && arg.charAt(0) == '-') {
            if (arg.equals("-vV") || arg.equals("-V") || arg.equals("-h") || arg.equals("-g") || arg.equals("-O")) {
                return new Flag(arg, null, List.of(arg), false, false);
            }
            String name = SHORT_WITH_VALUE.get(arg.charAt(1));
            if (name == null) {
                return new Flag(arg, null, List.of(arg), false, false);
            }
            if (arg.length() > 2) {
                return new Flag(name, arg.substring(2), List.of(arg), false, true);
            }
            return next == null ? new Flag(name, null, List.of(arg), false, true)
                    : new Flag(name, next, List.of(arg, next), true, true);
        }
        return new Flag(null, null, List.of(arg), false, false);
    }
}
