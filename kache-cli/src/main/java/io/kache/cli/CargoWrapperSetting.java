package io.kache.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * Sets or removes {@code build.rustc-wrapper} in the text of a cargo config file and changes nothing
 * else. tomlj reads and validates the file; the edit itself is textual and small (one value, one
 * inserted or removed line, or an appended {@code [build]} table) so comments, order and layout stay
 * byte for byte. Before any edit is returned, its result is parsed again and compared with the
 * original key by key: an edit that would change anything but the wrapper is refused, not written.
 *
 * <p>Uninstall undoes install and no more. A {@code [build]} table kache had to add carries a
 * comment saying so, and only such a header goes again with the wrapper: the user's own
 * {@code [build]}, even left empty, stays as it was before install. A wrapper put into the user's
 * {@code [build]} says so too ({@link #SET_COMMENT}): a bare {@code [build]} whose wrapper does
 * not is the table an older init added (it wrote no comments) and goes as well. Either header goes
 * only when nothing else is left in its table, neither a key nor a comment.
 */
final class CargoWrapperSetting {

    static final List<String> KEY = List.of("build", "rustc-wrapper");

    private static final Pattern BUILD_HEADER = Pattern.compile("[ \\t]*\\[[ \\t]*build[ \\t]*\\][ \\t]*(#.*)?");
    /** The header of a {@code [build]} table kache added, which uninstall removes again. */
    static final String ADDED_HEADER = "[build]  # added by kache init";
    /** The comment on a wrapper line init put into a {@code [build]} table that was there before. */
    static final String SET_COMMENT = "# set by kache init";
    /** The header an older init added, with no comment: taken back when its wrapper line has no {@link #SET_COMMENT}. */
    private static final String OLDER_ADDED_HEADER = "[build]";
    private static final Pattern BLANK_OR_COMMENT = Pattern.compile("[ \\t]*(#.*)?");

    /**
     * The file's text after an edit.
     *
     * @param text the new text; the input itself when nothing changed
     * @param changed whether {@code text} differs from the input
     * @param previous the wrapper set before, or null
     */
    record Edit(String text, boolean changed, String previous) {
    }

    private CargoWrapperSetting() {
    }

    /**
     * Makes the file set {@code wrapper}.
     *
     * @throws CargoConfigException if the file is not valid TOML, sets another wrapper and
     *     {@code force} is false, or defines {@code build} in a form this class does not edit
     */
    static Edit install(String text, String wrapper, boolean force) throws CargoConfigException {
        return install(text, wrapper, Set.of(), force);
    }

    /**
     * As {@link #install(String, String, boolean)}, where a wrapper in {@code alsoThisKache} (another
     * path of the same install) is replaced without {@code force}.
     */
    static Edit install(String text, String wrapper, Set<String> alsoThisKache, boolean force) throws CargoConfigException {
        TomlParseResult toml = parse(text);
        Object current = toml.get(KEY);
        if (wrapper.equals(current)) {
            return new Edit(text, false, wrapper);
        }
        String edited;
        if (current != null) {
            if (!force && !alsoThisKache.contains(String.valueOf(current))) {
                throw new CargoConfigException("build.rustc-wrapper is already set to " + quote(String.valueOf(current))
                        + " (line " + line(toml, KEY) + "); run kache init --force to replace it with this kache");
            }
            Span value = valueSpan(text, toml);
            edited = text.substring(0, value.start) + quote(wrapper) + text.substring(value.end);
        } else {
            Object build = toml.get("build");
            String entry = "rustc-wrapper = " + quote(wrapper);
            if (build == null) {
                edited = append(text, ADDED_HEADER + lineEnding(text) + entry);
            } else if (build instanceof TomlTable) {
                edited = insertIntoBuild(text, toml, entry);
            } else {
                throw new CargoConfigException("build is not a table (line " + line(toml, List.of("build"))
                        + "); cargo expects [build]");
            }
        }
        verify(toml, edited, wrapper);
        return new Edit(edited, true, current == null ? null : String.valueOf(current));
    }

    /**
     * Makes the file set no wrapper, removing the {@code [build]} table too if that leaves it empty.
     *
     * @throws CargoConfigException if the file is not valid TOML, sets a wrapper other than
     *     {@code wrapper} and {@code force} is false, or sets it in a form this class does not edit
     */
    static Edit uninstall(String text, String wrapper, boolean force) throws CargoConfigException {
        return uninstall(text, wrapper, Set.of(), force);
    }

    /** As {@link #uninstall(String, String, boolean)}, removing a wrapper in {@code alsoThisKache} too. */
    static Edit uninstall(String text, String wrapper, Set<String> alsoThisKache, boolean force) throws CargoConfigException {
        TomlParseResult toml = parse(text);
        Object current = toml.get(KEY);
        if (current == null) {
            return new Edit(text, false, null);
        }
        if (!wrapper.equals(current) && !alsoThisKache.contains(String.valueOf(current)) && !force) {
            throw new CargoConfigException("build.rustc-wrapper is " + quote(String.valueOf(current)) + " (line "
                    + line(toml, KEY) + "), not this kache; run kache init --uninstall --force to remove it anyway");
        }
        Span value = valueSpan(text, toml);
        int keyStart = position(text, toml.inputPositionOf(KEY));
        int lineStart = lineStart(text, keyStart);
        int lineEnd = lineEnd(text, value.end);
        if (!text.substring(lineStart, keyStart).isBlank()
                || !BLANK_OR_COMMENT.matcher(text.substring(value.end, lineEnd)).matches()) {
            throw new CargoConfigException("build.rustc-wrapper shares line " + line(toml, KEY)
                    + " with other settings; remove it there by hand");
        }
        int end = afterNewline(text, lineEnd);
        // The last line, without a line ending: install put the wrapper after a header that had none,
        // so the line ending before the wrapper goes instead.
        int start = end == text.length() && end == lineEnd && lineStart > 0
                ? lineStart - (text.startsWith("\r\n", lineStart - 2) ? 2 : 1) : lineStart;
        boolean intoUsersTable = text.substring(value.end, lineEnd).contains(SET_COMMENT);
        String edited = text.substring(0, start) + text.substring(end);
        edited = dropEmptyBuildHeader(edited, intoUsersTable);
        verify(toml, edited, null);
        return new Edit(edited, true, String.valueOf(current));
    }

    private static TomlParseResult parse(String text) throws CargoConfigException {
        TomlParseResult toml = Toml.parse(text);
        if (toml.hasErrors()) {
            TomlParseError e = toml.errors().get(0);
            TomlPosition at = e.position();
            throw new CargoConfigException("not valid TOML" + (at == null ? "" : " at line " + at.line()) + ": "
                    + e.getMessage());
        }
        return toml;
    }

    /**
     * The {@code [build]} header takes the new line right after it, saying that init put it there (so
     * uninstall leaves the header, which was the user's); dotted {@code build.x} keys take a dotted sibling.
     */
    private static String insertIntoBuild(String text, TomlParseResult toml, String line) throws CargoConfigException {
        int at = lineStart(text, position(text, toml.inputPositionOf(List.of("build"))));
        int end = lineEnd(text, at);
        String nl = lineEnding(text);
        if (BUILD_HEADER.matcher(text.substring(at, end)).matches()) {
            String entry = line + "  " + SET_COMMENT;
            int next = afterNewline(text, end);
            if (next == end) {
                // The header is the last line, without a line ending: the file keeps ending without one.
                return text.substring(0, end) + nl + entry + text.substring(end);
            }
            return text.substring(0, next) + entry + nl + text.substring(next);
        }
        // build.jobs = 4 (or similar) in some table: the same table can take build.rustc-wrapper.
        // An inline table (build = { ... }) cannot; verify then refuses the result.
        return text.substring(0, at) + "build." + line + nl + text.substring(at);
    }

    private static String append(String text, String block) {
        if (text.isBlank()) {
            return text + block + lineEnding(text);
        }
        String nl = lineEnding(text);
        String separated = text.endsWith("\n") ? text + nl : text + nl + nl;
        return separated + block + nl;
    }

    /**
     * After the wrapper's line went: an empty [build] header kache added goes too, with the blank line it
     * put above it. Kache added it if it says so, or if it is an older init's bare header and the
     * wrapper was not put into a table that was there ({@code intoUsersTable}).
     */
    private static String dropEmptyBuildHeader(String text, boolean intoUsersTable) throws CargoConfigException {
        TomlParseResult toml = parse(text);
        if (!(toml.get("build") instanceof TomlTable build) || !build.isEmpty()) {
            return text;
        }
        int start = lineStart(text, position(text, toml.inputPositionOf(List.of("build"))));
        int end = lineEnd(text, start);
        String header = text.substring(start, end);
        if (!header.equals(ADDED_HEADER) && !(header.equals(OLDER_ADDED_HEADER) && !intoUsersTable)
                || !onlyBlankLinesUntilTheNextTable(text, afterNewline(text, end))) {
            return text;
        }
        String after = text.substring(afterNewline(text, end));
        String before = text.substring(0, start);
        if (after.isEmpty()) {
            String nl = lineEnding(text);
            if (before.endsWith(nl + nl)) {
                before = before.substring(0, before.length() - nl.length());
            }
        }
        return before + after;
    }

    /** Whether the lines from {@code from} to the next table header (or the end) are blank: a comment there is the user's. */
    private static boolean onlyBlankLinesUntilTheNextTable(String text, int from) {
        for (int at = from; at < text.length(); ) {
            int end = lineEnd(text, at);
            String line = text.substring(at, end).strip();
            if (line.startsWith("[")) {
                return true;
            }
            if (!line.isEmpty()) {
                return false;
            }
            int next = afterNewline(text, end);
            if (next == end) {
                break;
            }
            at = next;
        }
        return true;
    }

    /** Where the wrapper's string value starts and ends (exclusive) in {@code text}. */
    private static Span valueSpan(String text, TomlParseResult toml) throws CargoConfigException {
        int key = position(text, toml.inputPositionOf(KEY));
        int eq = text.indexOf('=', key);
        int start = eq + 1;
        while (start < text.length() && (text.charAt(start) == ' ' || text.charAt(start) == '\t')) {
            start++;
        }
        String unsupported = "build.rustc-wrapper at line " + line(toml, KEY)
                + " is not a one-line string; edit it by hand";
        if (eq < 0 || start >= text.length() || text.startsWith("\"\"\"", start) || text.startsWith("'''", start)) {
            throw new CargoConfigException(unsupported);
        }
        char quote = text.charAt(start);
        if (quote != '"' && quote != '\'') {
            throw new CargoConfigException(unsupported);
        }
        for (int i = start + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                break;
            }
            if (quote == '"' && c == '\\') {
                i++;
            } else if (c == quote) {
                return new Span(start, i + 1);
            }
        }
        throw new CargoConfigException(unsupported);
    }

    private record Span(int start, int end) {
    }

    /** The edit must leave the wrapper as {@code expected} (null: absent) and every other value as it was. */
    private static void verify(TomlParseResult before, String edited, String expected) throws CargoConfigException {
        TomlParseResult after = Toml.parse(edited);
        if (after.hasErrors() || !Objects.equals(after.get(KEY), expected) || !leaves(before).equals(leaves(after))) {
            throw new CargoConfigException("kache cannot change build.rustc-wrapper here without touching other "
                    + "settings (build is defined at line " + line(before, List.of("build"))
                    + "); set rustc-wrapper = " + quote(expected == null ? "..." : expected) + " under [build] by hand");
        }
    }

    private static Map<List<String>, String> leaves(TomlTable toml) {
        Map<List<String>, String> leaves = new HashMap<>();
        for (List<String> path : toml.keyPathSet(true)) {
            Object v = toml.get(path);
            if (!(v instanceof TomlTable) && !path.equals(KEY)) {
                leaves.put(path, v instanceof TomlArray a ? a.toJson() : v.getClass().getName() + ":" + v);
            }
        }
        return leaves;
    }

    /** A TOML basic string. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    private static String lineEnding(String text) {
        return text.contains("\r\n") ? "\r\n" : "\n";
    }

    private static int line(TomlParseResult toml, List<String> path) {
        TomlPosition p = toml.inputPositionOf(path);
        return p == null ? 0 : p.line();
    }

    /** The offset of a tomlj position (1-based line and column). */
    private static int position(String text, TomlPosition p) {
        int offset = 0;
        for (int line = 1; line < p.line(); line++) {
            offset = text.indexOf('\n', offset) + 1;
        }
        return offset + p.column() - 1;
    }

    private static int lineStart(String text, int offset) {
        return text.lastIndexOf('\n', offset - 1) + 1;
    }

    /** The end of the line holding {@code offset}, before its line ending. */
    private static int lineEnd(String text, int offset) {
        int nl = text.indexOf('\n', offset);
        int end = nl < 0 ? text.length() : nl;
        return end > offset && text.charAt(end - 1) == '\r' ? end - 1 : end;
    }

    private static int afterNewline(String text, int lineEnd) {
        if (text.startsWith("\r\n", lineEnd)) {
            return lineEnd + 2;
        }
        return text.startsWith("\n", lineEnd) ? lineEnd + 1 : lineEnd;
    }
}
