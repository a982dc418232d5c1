package io.kache.core.key;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Link inputs the linker reads as text, and the files they name: a response file ({@code @FILE},
 * arguments as gcc splits them) and a linker script (any input that is neither an object nor an
 * archive: {@code INPUT}, {@code GROUP}, {@code AS_NEEDED}, {@code STARTUP}, {@code INCLUDE},
 * {@code SEARCH_DIR}). What a file is and what it names depend on its content alone, so they are
 * remembered by content hash: an unchanged input is read once per process, not once per call.
 */
final class LinkerText {

    /** What a link input is, by its first bytes. */
    enum Kind { BINARY, TEXT, TOO_LARGE, THIN_ARCHIVE }

    /** A name in a linker script: a file, a library ({@code -lNAME}) or a search directory. */
    record Name(NameKind kind, String name) {
    }

    enum NameKind { FILE, LIBRARY, SEARCH_DIR }

    private static final int PEEK = 4096;
    private static final Set<String> LISTS = Set.of("INPUT", "GROUP", "STARTUP", "SEARCH_DIR");
    private static final int REMEMBERED = 4096;
    private static final Map<String, Object> MEMO = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Object> eldest) {
            return size() > REMEMBERED;
        }
    };

    private LinkerText() {
    }

    /** What {@code file}, of content hash {@code sha}, is: an ELF object, an archive, or other binary; text; or not keyable. */
    static Kind kind(Path file, String sha) throws IOException {
        Object known = remembered("kind:" + sha);
        if (known != null) {
            return (Kind) known;
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(PEEK);
        }
        Kind kind;
        String start = new String(head, 0, Math.min(8, head.length), StandardCharsets.ISO_8859_1);
        if (start.equals("!<thin>\n")) {
            kind = Kind.THIN_ARCHIVE;
        } else if (start.startsWith("\u007fELF") || start.equals("!<arch>\n") || hasNul(head)) {
            kind = Kind.BINARY;   // an object, an archive, or no text the linker could parse
        } else {
            kind = Files.size(file) > LinkInputs.MAX_TEXT_BYTES ? Kind.TOO_LARGE : Kind.TEXT;
        }
        remember("kind:" + sha, kind);
        return kind;
    }

    /** The arguments of response file {@code file}, split as gcc does: white space, quotes, backslashes. */
    @SuppressWarnings("unchecked")
    static List<String> responseTokens(Path file, String sha) throws IOException {
        Object known = remembered("response:" + sha);
        if (known != null) {
            return (List<String>) known;
        }
        String text = Files.readString(file, StandardCharsets.ISO_8859_1);
        List<String> tokens = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean in = false;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                cur.append(text.charAt(++i));
                in = true;
            } else if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    cur.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                in = true;
            } else if (Character.isWhitespace(c)) {
                if (in) {
                    tokens.add(cur.toString());
                    cur.setLength(0);
                    in = false;
                }
            } else {
                cur.append(c);
                in = true;
            }
        }
        if (in) {
            tokens.add(cur.toString());
        }
        List<String> result = List.copyOf(tokens);
        remember("response:" + sha, result);
        return result;
    }

    /**
     * The files, libraries and directories linker script {@code file} names. Any text the linker is
     * given as an input is read as a script; one that names nothing (or is no script) gives nothing.
     */
    @SuppressWarnings("unchecked")
    static List<Name> scriptNames(Path file, String sha) throws IOException {
        Object known = remembered("script:" + sha);
        if (known != null) {
            return (List<Name>) known;
        }
        List<String> tokens = scriptTokens(Files.readString(file, StandardCharsets.ISO_8859_1));
        List<Name> names = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if (t.equals("INCLUDE") && i + 1 < tokens.size() && !isPunct(tokens.get(i + 1))) {
                names.add(new Name(NameKind.FILE, tokens.get(++i)));
            } else if (LISTS.contains(t) && i + 1 < tokens.size() && tokens.get(i + 1).equals("(")) {
                int depth = 0;
                for (i++; i < tokens.size(); i++) {
                    String u = tokens.get(i);
                    if (u.equals("(")) {
                        depth++;
                    } else if (u.equals(")")) {
                        if (--depth == 0) {
                            break;
                        }
                    } else if (!u.equals("AS_NEEDED") && !u.equals(",")) {
                        names.add(t.equals("SEARCH_DIR") ? new Name(NameKind.SEARCH_DIR, u)
                                : u.startsWith("-l") && u.length() > 2 ? new Name(NameKind.LIBRARY, u.substring(2))
                                : new Name(NameKind.FILE, u));
                    }
                }
            }
        }
        List<Name> result = List.copyOf(names);
        remember("script:" + sha, result);
        return result;
    }

    /** Words and the punctuation that matters, comments left out; a quoted name is one word. */
    private static List<String> scriptTokens(String text) {
        List<String> tokens = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '/' && i + 1 < text.length() && text.charAt(i + 1) == '*') {
                int end = text.indexOf("*/", i + 2);
                i = end < 0 ? text.length() : end + 1;
                flush(tokens, cur);
            } else if (c == '"') {
                flush(tokens, cur);
                int end = text.indexOf('"', i + 1);
                String quoted = text.substring(i + 1, end < 0 ? text.length() : end);
                if (!quoted.isEmpty()) {
                    tokens.add(quoted);
                }
                i = end < 0 ? text.length() : end;
            } else if (c == '(' || c == ')' || c == ',' || c == ';' || c == '{' || c == '}') {
                flush(tokens, cur);
                tokens.add(String.valueOf(c));
            } else if (Character.isWhitespace(c) || c == '\'') {
                flush(tokens, cur);
            } else {
                cur.append(c);
            }
        }
        flush(tokens, cur);
        return tokens;
    }

    private static boolean isPunct(String token) {
        return token.length() == 1 && "(),;{}".contains(token);
    }

    private static void flush(List<String> tokens, StringBuilder cur) {
        if (cur.length() > 0) {
            tokens.add(cur.toString());
            cur.setLength(0);
        }
    }

    private static boolean hasNul(byte[] bytes) {
        for (byte b : bytes) {
            if (b == 0) {
                return true;
            }
        }
        return false;
    }

    private static Object remembered(String key) {
        synchronized (MEMO) {
            return MEMO.get(key);
        }
    }

    private static void remember(String key, Object value) {
        synchronized (MEMO) {
            MEMO.put(key, value);
        }
    }
}
