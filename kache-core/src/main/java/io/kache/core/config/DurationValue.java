package io.kache.core.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations such as {@code 7d}, {@code 24h}, {@code 30m}, {@code 10s}, {@code 500ms}.
 * Anything else is refused, never defaulted.
 */
public final class DurationValue {

    private static final Pattern DURATION = Pattern.compile("\\s*(\\d+)\\s*(ms|s|m|h|d|w)\\s*");

    private DurationValue() {
    }

    /**
     * @throws IllegalArgumentException naming the accepted forms when {@code text} is not a duration
     */
    public static Duration parse(String text) {
        Matcher m = text == null ? null : DURATION.matcher(text);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration; use a whole number with"
                    + " ms, s, m, h, d or w, e.g. 7d or 24h");
        }
        long unitMillis = switch (m.group(2)) {
            case "ms" -> 1L;
            case "s" -> 1000L;
            case "m" -> 60_000L;
            case "h" -> 3_600_000L;
            case "d" -> 86_400_000L;
            default -> 7 * 86_400_000L;
        };
        // Whole milliseconds up to MAX: every use (a deadline, an age) counts in them.
        String digits = m.group(1).replaceFirst("^0+(?=\\d)", "");
        if (digits.length() > 18 || Long.parseLong(digits) > MAX.toMillis() / unitMillis) {
            throw new IllegalArgumentException("'" + text.strip() + "' is longer than kache takes; at most "
                    + format(MAX));
        }
        return Duration.ofMillis(Long.parseLong(digits) * unitMillis);
    }

    /** The longest duration accepted: a hundred years, far beyond any deadline or age kache keeps. */
    public static final Duration MAX = Duration.ofDays(36_500);

    /** A duration in the largest unit that keeps it whole, as the config would spell it: {@code 3s}, {@code 500ms}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        long[] sizes = {7L * 24 * 3600 * 1000, 24L * 3600 * 1000, 3600L * 1000, 60L * 1000, 1000L};
        String[] units = {"w", "d", "h", "m", "s"};
        for (int i = 0; i < sizes.length; i++) {
            if (ms % sizes[i] == 0) {
                return ms / sizes[i] + units[i];
            }
        }
        return ms + "ms";
    }
}
