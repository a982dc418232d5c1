package io.kache.core.config;

import java.util.Collection;
import java.util.Optional;

/** "Did you mean …?" for a mistyped name: the known name closest by edit distance, if close enough. */
final class Spelling {

    private Spelling() {
    }

    /**
     * The name in {@code known} nearest to {@code typed} (insertions, deletions, substitutions and
     * swaps of neighbours each count one), when at most 2 edits and fewer than half its length away.
     */
    static Optional<String> closest(String typed, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String name : known) {
            int d = distance(typed, name);
            if (d < bestDistance) {
                best = name;
                bestDistance = d;
            }
        }
        return best != null && bestDistance > 0 && bestDistance <= 2 && bestDistance * 2 < typed.length()
                ? Optional.of(best) : Optional.empty();
    }

    /** {@code " (did you mean name?)"} for an error message, or empty when no known name is close. */
    static String didYouMean(String typed, Collection<String> known) {
        return closest(typed, known).map(k -> " (did you mean " + k + "?)").orElse("");
    }

    /** Optimal string alignment distance. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
