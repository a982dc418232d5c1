package io.kache.core.rustc;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replaces machine-local directory prefixes (workspace, target dir, CARGO_HOME, RUSTUP_HOME, HOME,
 * the temp dir, KACHE_BASE_DIR) with fixed sentinels and back. Keys, stored dep-info and stored
 * diagnostics hold sentinels, so two checkouts at different paths, or two machines, share entries;
 * the same sentinels are given to rustc as {@code --remap-path-prefix} so artifacts carry none of
 * the local paths either.
 */
public final class PathSentinels {

    /** Sentinels are absolute paths under a root no real machine has. */
    public static final String SENTINEL_ROOT = "/@kache";

    private final List<Map.Entry<String, String>> longestFirst;

    private PathSentinels(Map<String, String> rootToSentinel) {
        List<Map.Entry<String, String>> list = new ArrayList<>(rootToSentinel.entrySet());
        list.sort(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length()).reversed());
        this.longestFirst = List.copyOf(list);
    }

    /**
     * @param roots sentinel name (e.g. {@code target}) to the local absolute directory; entries whose
     *     directory is the filesystem root are ignored
     */
    public static PathSentinels of(Map<String, Path> roots) {
        Map<String, String> map = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : roots.entrySet()) {
            String dir = e.getValue().normalize().toString();
            if (dir.length() > 1 && !map.containsKey(dir)) {
                map.put(dir, SENTINEL_ROOT + "/" + e.getKey());
            }
        }
        return new PathSentinels(map);
    }

    /** Local prefixes → sentinels, longest prefix first, only at path boundaries. */
    public String normalize(String text) {
        String out = text;
        for (Map.Entry<String, String> e : longestFirst) {
            out = replaceAtBoundaries(out, e.getKey(), e.getValue());
        }
        return out;
    }

    /** Sentinels → this machine's prefixes. */
    public String expand(String text) {
        if (!text.contains(SENTINEL_ROOT)) {
            return text;
        }
        String out = text;
        for (Map.Entry<String, String> e : longestFirst) {
            out = replaceAtBoundaries(out, e.getValue(), e.getKey());
        }
        return out;
    }

    /**
     * {@link #normalize} for the text of a dep-info file rustc wrote. Its make rules write a space in
     * a path as {@code \ } (a checkout under {@code /tmp/my project}), its {@code # env-dep:} lines
     * do not: each line is matched in the form it uses.
     */
    public String normalizeDepInfo(String text) {
        return byDepInfoLine(text, this::normalize, spaceEscaped()::normalize);
    }

    /** {@link #expand} for a dep-info file's text: each path in the form its line uses, as rustc writes it. */
    public String expandDepInfo(String text) {
        if (!text.contains(SENTINEL_ROOT)) {
            return text;
        }
        return byDepInfoLine(text, this::expand, spaceEscaped()::expand);
    }

    private PathSentinels spaceEscaped() {
        Map<String, String> escaped = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : longestFirst) {
            escaped.put(e.getKey().replace(" ", "\\ "), e.getValue());
        }
        return new PathSentinels(escaped);
    }

    private static String byDepInfoLine(String text, java.util.function.UnaryOperator<String> envLine,
                                        java.util.function.UnaryOperator<String> ruleLine) {
        StringBuilder out = new StringBuilder(text.length());
        int pos = 0;
        while (pos < text.length()) {
            int end = text.indexOf('\n', pos);
            end = end < 0 ? text.length() : end + 1;
            String line = text.substring(pos, end);
            out.append(line.startsWith("# env-dep:") ? envLine.apply(line) : ruleLine.apply(line));
            pos = end;
        }
        return out.toString();
    }

    /**
     * {@code --remap-path-prefix} arguments for rustc. rustc applies the last matching mapping, so
     * shorter prefixes go first and the most specific last.
     */
    public List<String> remapArgs() {
        List<String> args = new ArrayList<>();
        for (int i = longestFirst.size() - 1; i >= 0; i--) {
            Map.Entry<String, String> e = longestFirst.get(i);
            args.add("--remap-path-prefix=" + e.getKey() + "=" + e.getValue());
        }
        return args;
    }

    /**
     * The local directory of each sentinel, by sentinel name (e.g. {@code ws}), longest directory
     * first: what an output that embeds a local path is bound to.
     */
    public Map<String, String> roots() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : longestFirst) {
            out.put(e.getValue().substring(SENTINEL_ROOT.length() + 1), e.getKey());
        }
        return out;
    }

    /** The local directories known, for tests and diagnostics. */
    public List<String> prefixes() {
        return longestFirst.stream().map(Map.Entry::getKey).toList();
    }

    private static String replaceAtBoundaries(String text, String from, String to) {
        int idx = text.indexOf(from);
        if (idx < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int pos = 0;
        while (idx >= 0) {
            int end = idx + from.length();
            boolean startOk = idx == 0 || isDelimiter(text.charAt(idx - 1)) || followsColour(text, idx);
            boolean endOk = end == text.length() || isDelimiter(text.charAt(end)) || text.charAt(end) == '/';
            if (startOk && endOk) {
                out.append(text, pos, idx).append(to);
                pos = end;
            }
            idx = text.indexOf(from, end);
        }
        out.append(text, pos, text.length());
        return out.toString();
    }

    /**
     * Whether {@code text} has an ANSI colour sequence ({@code ESC [ … m}) right before {@code idx},
     * raw or escaped as JSON writes it (backslash, {@code u001b}): rustc's coloured diagnostics put
     * one straight before a path ({@code --> ESC[0m/path/file.rs}).
     */
    private static boolean followsColour(String text, int idx) {
        int i = idx - 1;
        if (text.charAt(i) != 'm') {
            return false;
        }
        i--;
        while (i >= 0 && (Character.isDigit(text.charAt(i)) || text.charAt(i) == ';')) {
            i--;
        }
        if (i < 1 || text.charAt(i) != '[') {
            return false;
        }
        return text.charAt(i - 1) == '\u001b' || text.startsWith("\\u001b", i - 6);
    }

    /**
     * Characters that may precede or follow a path in dep-info, JSON or diagnostics, and the unit
     * separator (0x1f) between the arguments of {@code CARGO_ENCODED_RUSTFLAGS}.
     */
    private static boolean isDelimiter(char c) {
        return c == ' ' || c == '"' || c == '\'' || c == '=' || c == ':' || c == '\n' || c == '\r' || c == '\t'
                || c == '(' || c == ')' || c == '[' || c == ']' || c == ',' || c == '`' || c == '<' || c == '>'
                || c == '\u001f';
    }
}
