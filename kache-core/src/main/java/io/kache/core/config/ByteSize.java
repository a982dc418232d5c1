package io.kache.core.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses sizes such as {@code 50GiB}, {@code 500MB}, {@code 1024}: binary units ({@code KiB},
 * {@code MiB}, {@code GiB}, {@code TiB}) are powers of 1024, decimal ones ({@code KB}, {@code MB},
 * {@code GB}, {@code TB}) powers of 1000, a bare number or {@code B} is bytes. Anything else is
 * refused, never guessed.
 */
public final class ByteSize {

    private static final Pattern SIZE = Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*([A-Za-z]*)\\s*");

    private ByteSize() {
    }

    /**
     * @throws IllegalArgumentException naming the accepted units when {@code text} is not a size
     */
    public static long parse(String text) {
        Matcher m = text == null ? null : SIZE.matcher(text);
        if (m == null || !m.matches()) {
            throw invalid(text);
        }
        long unit = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "", "b" -> 1L;
            case "kb" -> 1000L;
            case "mb" -> 1000L * 1000;
            case "gb" -> 1000L * 1000 * 1000;
            case "tb" -> 1000L * 1000 * 1000 * 1000;
            case "kib" -> 1L << 10;
            case "mib" -> 1L << 20;
            case "gib" -> 1L << 30;
            case "tib" -> 1L << 40;
            default -> throw invalid(text);
        };
        double bytes = Double.parseDouble(m.group(1)) * unit;
        if (bytes > Long.MAX_VALUE) {
            throw invalid(text);
        }
        return (long) bytes;
    }

    /** A short human form, e.g. {@code 1.5 GiB}. */
    public static String format(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int i = 0;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return i == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[i]);
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("'" + text + "' is not a size; use a number with B, KB, MB, GB, TB,"
                + " KiB, MiB, GiB or TiB, e.g. 50GiB");
    }
}
