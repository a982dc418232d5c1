package io.kache.cli;

/** Just enough JSON for command output: quoted strings with the escapes JSON requires. */
final class JsonText {

    private JsonText() {
    }

    /** {@link #quote}, or JSON's {@code null} for none. */
    static String quoteOrNull(String s) {
        return s == null ? "null" : quote(s);
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
