package io.kache.cli;

import io.kache.core.rustc.CargoUnit;
import io.kache.core.store.MissRecords.Miss;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The answer of {@code kache why-miss} when the name (with its {@code --package} and {@code --kind})
 * is more than one unit with a latest miss: every build script is crate {@code build_script_build},
 * and a package's lib and bin may share a name. It is a usage error that names the candidates and the
 * options that pick each, never one unit's explanation taken for the crate's. Its JSON has the keys
 * of the other answers ({@code crate}, {@code package}, {@code targetKind}, {@code missedAt},
 * {@code explanation}) with {@code error} and {@code candidates} added, so a reader needs one shape.
 *
 * @param crate the crate's name
 * @param packageName the {@code --package} given, or null
 * @param kind the {@code --kind} given, or null
 * @param misses the latest miss of each unit it may be, two or more
 */
record AmbiguousMiss(String crate, String packageName, String kind, List<Miss> misses) {

    /** The exit code: a usage error, as picocli's own and a broken configuration's. */
    static final int EXIT = 2;

    String text() {
        return "kache: why-miss: " + crate + " is " + misses.size() + " targets here, each with its own latest miss."
                + " Name one:\n" + misses.stream().map(m -> "  kache why-miss " + crate + " " + options(m.unit())
                        + "   (last missed at " + m.at() + ")").collect(Collectors.joining("\n"));
    }

    String json() {
        return "{\"crate\": " + JsonText.quote(crate) + ", \"package\": " + JsonText.quoteOrNull(packageName)
                + ", \"targetKind\": " + JsonText.quoteOrNull(kind) + ", \"missedAt\": null, \"error\": \"ambiguous\","
                + " \"candidates\": [" + misses.stream().map(AmbiguousMiss::candidate).collect(Collectors.joining(", "))
                + "], \"explanation\": " + JsonText.quote(crate + " is " + misses.size() + " targets here, each with its"
                + " own latest miss: name one with --package and --kind") + "}";
    }

    /** The options that pick {@code unit}; a record an older kache wrote without them can only be described. */
    private static String options(CargoUnit unit) {
        String pkg = unit.packageKnown() ? "--package " + unit.packageName()
                : "(a package an older kache did not record)";
        return unit.kindKnown() ? pkg + " --kind " + unit.kind() : pkg;
    }

    private static String candidate(Miss m) {
        CargoUnit u = m.unit();
        return "{\"package\": " + (u.packageKnown() ? JsonText.quote(u.packageName()) : "null")
                + ", \"targetKind\": " + (u.kindKnown() ? JsonText.quote(u.kind()) : "null")
                + ", \"missedAt\": " + JsonText.quote(m.at().toString()) + "}";
    }
}
