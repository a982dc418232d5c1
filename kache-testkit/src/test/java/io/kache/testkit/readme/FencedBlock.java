package io.kache.testkit.readme;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One fenced code block of a Markdown file: its info string ({@code java}, {@code xml}, or empty),
 * the 1-based line number of its opening fence, and its lines, trailing whitespace removed.
 */
record FencedBlock(String info, int firstLine, List<String> lines) {

    private static final String FENCE = "```";

    FencedBlock {
        lines = List.copyOf(lines);
    }

    /**
     * The blocks under the level-2 heading {@code ## heading}, up to the next level-2 heading;
     * subsections belong to it.
     *
     * @throws IllegalStateException if the heading is missing or a block is never closed
     */
    static List<FencedBlock> inSection(Path markdown, String heading) throws IOException {
        List<String> all = Files.readAllLines(markdown);
        int start = all.indexOf("## " + heading);
        if (start < 0) {
            throw new IllegalStateException(markdown + " has no section '## " + heading + "'");
        }
        List<FencedBlock> blocks = new ArrayList<>();
        String info = null;
        int opened = -1;
        List<String> body = new ArrayList<>();
        for (int i = start + 1; i < all.size(); i++) {
            String line = all.get(i).stripTrailing();
            if (info == null) {
                if (line.startsWith("## ")) {
                    break;
                }
                if (line.startsWith(FENCE)) {
                    info = line.substring(FENCE.length()).strip();
                    opened = i + 1;
                    body = new ArrayList<>();
                }
            } else if (line.equals(FENCE)) {
                blocks.add(new FencedBlock(info, opened, withoutTrailingBlankLines(body)));
                info = null;
            } else {
                body.add(line);
            }
        }
        if (info != null) {
            throw new IllegalStateException(markdown + ": the block opened on line " + opened + " is never closed");
        }
        return blocks;
    }

    /** The lines of a source file, compared the way block lines are: trailing whitespace ignored. */
    static List<String> normalizedLines(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            lines.add(line.stripTrailing());
        }
        return withoutTrailingBlankLines(lines);
    }

    private static List<String> withoutTrailingBlankLines(List<String> lines) {
        int end = lines.size();
        while (end > 0 && lines.get(end - 1).isEmpty()) {
            end--;
        }
        return List.copyOf(lines.subList(0, end));
    }

    /** Whether this block is a whole Java source file rather than a fragment of one. */
    boolean isJavaFile() {
        return info.equals("java") && !lines.isEmpty() && lines.get(0).startsWith("package ");
    }

    String text() {
        return String.join("\n", lines);
    }
}
