package io.kache.core.entry;

import java.nio.charset.StandardCharsets;

/**
 * The rule for names of files inside an entry: a relative path with {@code /} separators that
 * cannot leave the directory it is restored into. Names come from packs downloaded from a shared
 * bucket, so this check is what stands between a hostile pack and the user's file system.
 */
public final class EntryNames {

    /** Longest name accepted, in UTF-8 bytes (PATH_MAX on Linux). */
    public static final int MAX_NAME_BYTES = 4096;

    private EntryNames() {
    }

    /** Whether {@code name} is an acceptable entry file name; see {@link #check}. */
    public static boolean isValid(String name) {
        return problem(name) == null;
    }

    /**
     * Returns {@code name} if valid.
     *
     * @throws IllegalArgumentException saying what is wrong: absolute, a {@code .} or {@code ..}
     *     or empty segment, a backslash, a NUL or other control character, or too long
     */
    public static String check(String name) {
        String problem = problem(name);
        if (problem != null) {
            throw new IllegalArgumentException("invalid entry file name " + quote(name) + ": " + problem);
        }
        return name;
    }

    private static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "empty";
        }
        if (!Unicode.isWellFormed(name)) {
            return "not valid Unicode";
        }
        // A char is at most three UTF-8 bytes (a pair of surrogates is four): most names need no encoding.
        if (name.length() > MAX_NAME_BYTES / 3 && name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            return "longer than " + MAX_NAME_BYTES + " bytes";
        }
        if (name.charAt(0) == '/') {
            return "absolute path";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '\\') {
                return "contains a backslash";
            }
            if (c == 0) {
                return "contains NUL";
            }
            if (Character.isISOControl(c)) {
                return "contains a control character";
            }
        }
        for (String segment : name.split("/", -1)) {
            if (segment.isEmpty()) {
                return "empty path segment";
            }
            if (segment.equals(".") || segment.equals("..")) {
                return "'" + segment + "' segment";
            }
        }
        return null;
    }

    static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("'");
        for (int i = 0; i < s.length() && i < 200; i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append(s.length() > 200 ? "…'" : "'").toString();
    }
}
