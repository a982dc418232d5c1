package io.kache.core.key;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Groups the fields a {@link KeyHasher} hashes into the parts a person can name (a flag, an extern,
 * a source file, a variable…), each kept only as a digest of its values: a breakdown says which
 * part changed, never what it held (a variable's value may be a secret).
 *
 * <p>A part starts with a head field ({@code extern}, {@code input}, {@code env}, {@code arg}…);
 * the value fields that follow ({@code sha256}, {@code value}, {@code extern-sha256}, {@code path})
 * belong to it. Part names are listed in {@link KeyBreakdown}.
 */
final class KeyParts {

    private final Map<String, Sha> parts = new LinkedHashMap<>();
    private Sha current;

    void field(String name, String value) {
        switch (name) {
            case "sha256", "value", "extern-sha256", "path" -> {
                if (current != null) {
                    current.add(value);
                }
            }
            case "call-key" -> current = null; // the entry key's link to the call key: the call's own parts say more
            case "arg" -> start(argPart(value)).add(value);
            case "extern" -> start("extern:" + value);
            case "input" -> start("file:" + value);
            case "env", "key-env", "env-dep" -> start("env:" + value);
            case "absent" -> start("absent:" + value).add("absent");
            case "bound-root" -> start("root:" + value);
            case "link-file" -> start("native:" + value);
            case "native-dir" -> start("native-dir:" + value).add(value);
            case "native-file" -> start("native:" + value);
            default -> start(name).add(value); // recipe, toolchain, salt, crate-name, target, source, linker, driver…
        }
    }

    private Sha start(String part) {
        current = parts.computeIfAbsent(part, p -> new Sha());
        return current;
    }

    /**
     * {@code -Copt-level=3} → {@code flag:-C opt-level}; {@code --cfg=feature="x"} → its own part;
     * {@code --warn=unused} → {@code flag:--warn unused}.
     */
    static String argPart(String arg) {
        if (arg.startsWith("--cfg=")) {
            return "cfg:" + arg.substring("--cfg=".length());
        }
        if (arg.startsWith("--check-cfg=")) {
            return "check-cfg";
        }
        if (arg.startsWith("-C") || arg.startsWith("-Z")) {
            String opt = arg.substring(2);
            int eq = opt.indexOf('=');
            return "flag:" + arg.substring(0, 2) + " " + (eq < 0 ? opt : opt.substring(0, eq));
        }
        int eq = arg.indexOf('=');
        if (eq > 0 && LINT_FLAGS.contains(arg.substring(0, eq))) {
            // A lint's level: the lint is named (a lint name is no secret), one part per lint.
            return "flag:" + arg.substring(0, eq) + " " + arg.substring(eq + 1);
        }
        return "flag:" + (eq < 0 ? arg : arg.substring(0, eq));
    }

    private static final java.util.Set<String> LINT_FLAGS = java.util.Set.of("-A", "-W", "-D", "-F",
            "--allow", "--warn", "--deny", "--forbid", "--force-warn");

    KeyBreakdown breakdown() {
        Map<String, String> digests = new LinkedHashMap<>();
        parts.forEach((name, sha) -> digests.put(name, sha.hex()));
        return new KeyBreakdown(digests);
    }

    /** The values of one part, hashed as they come (length-prefixed, like the key itself). */
    private static final class Sha {
        private final KeyHasher hasher = new KeyHasher();

        void add(String value) {
            hasher.field("", value);
        }

        String hex() {
            // 64 bits tell a change apart; a shorter digest also says less about a low-entropy value.
            return hasher.hex().substring(0, 16);
        }
    }
}
