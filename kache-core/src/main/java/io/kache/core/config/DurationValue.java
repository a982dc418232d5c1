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
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
        };
    }
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
