package io.kache.examples;

import java.util.Arrays;
import java.util.List;

/** Cuts a marked region out of a source file, without its common indentation. */
final class Snippets {

    private Snippets() {
    }

    static String extract(String source, String name) {
        String start = "// snippet:" + name + ":start";
        String end = "// snippet:" + name + ":end";
        int from = source.indexOf(start);
        int to = source.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("no snippet '" + name + "'");
        }
        // -1: the last piece, before the end marker, is its indentation or empty: dropped below either way.
        List<String> lines = Arrays.asList(source.substring(source.indexOf('\n', from) + 1, to).split("\n", -1));
        lines = lines.subList(0, lines.size() - 1);
        int indent = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
            sb.append(l.isBlank() ? "" : l.substring(indent)).append('\n');
        }
        return sb.toString();
    }
}
