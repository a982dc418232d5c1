package io.kache.core.rustc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a dep-info ({@code .d}) file written by {@code rustc --emit=dep-info} says the crate read:
 * every source file (modules, {@code include!}, {@code include_str!}, build-script output) and the
 * environment variables it looked at ({@code # env-dep:} lines, from {@code env!}/{@code option_env!}).
 *
 * @param inputs the files, as written (relative to rustc's working directory or absolute), in order
 * @param envDeps the variables, with the value rustc saw (empty when unset)
 */
public record DepInfo(List<String> inputs, List<EnvDep> envDeps) {

    public DepInfo {
        inputs = List.copyOf(inputs);
        envDeps = List.copyOf(envDeps);
    }

    /** One {@code # env-dep:NAME[=VALUE]} line. */
    public record EnvDep(String name, Optional<String> value) {
    }

    public static DepInfo read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    /**
     * Parses make syntax as rustc writes it: spaces in paths escaped as {@code \ }, env values with
     * {@code \\}, {@code \n} and {@code \r} escaped.
     */
    public static DepInfo parse(String text) {
        Set<String> inputs = new LinkedHashSet<>();
        List<EnvDep> env = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# env-dep:")) {
                String rest = line.substring("# env-dep:".length());
                int eq = rest.indexOf('=');
                env.add(eq < 0 ? new EnvDep(rest, Optional.empty())
                        : new EnvDep(rest.substring(0, eq), Optional.of(unescapeEnv(rest.substring(eq + 1)))));
                continue;
            }
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int colon = ruleColon(line);
            if (colon < 0) {
                continue;
            }
            inputs.addAll(splitPaths(line.substring(colon + 1)));
        }
        return new DepInfo(new ArrayList<>(inputs), env);
    }

    /** The colon separating targets from prerequisites: the first one followed by a space or the line end. */
    private static int ruleColon(String line) {
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == '\\') {
                i++;
            } else if (line.charAt(i) == ':' && (i + 1 == line.length() || line.charAt(i + 1) == ' ')) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> splitPaths(String deps) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < deps.length(); i++) {
            char c = deps.charAt(i);
            if (c == '\\' && i + 1 < deps.length() && deps.charAt(i + 1) == ' ') {
                cur.append(' ');
                i++;
            } else if (c == ' ') {
                if (cur.length() > 0) {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
            } else {
                cur.append(c);
            }
        }
        if (cur.length() > 0) {
            out.add(cur.toString());
        }
        return out;
    }

    private static String unescapeEnv(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                out.append(n == 'n' ? '\n' : n == 'r' ? '\r' : n);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
