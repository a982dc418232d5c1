package io.kache.cli;

import io.kache.core.key.KeyBreakdown;
import io.kache.core.key.KeyBreakdown.Change;
import io.kache.core.key.KeyBreakdown.Difference;
import io.kache.core.rustc.CargoUnit;
import io.kache.core.rustc.PathSentinels;
import io.kache.core.store.MissRecords;
import io.kache.core.store.MissRecords.EntryParts;
import io.kache.core.store.MissRecords.Miss;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A crate's latest miss set against the nearest entry the store has for it: which key parts
 * differ, in plain words. Only entries of the miss's own unit are candidates, its package and kind
 * ({@link CargoUnit#couldBe}): every build script is crate {@code build_script_build}, and another
 * package's is no explanation. The nearest entry is the one with the fewest differing parts that cargo
 * did not derive from the others (newest first on a tie); the miss's own entry is not a candidate.
 * A miss that found the entry of its own call key and could not use it ({@link Miss#unused}) is
 * compared with nothing: its key did not differ, and the reason it recorded is the explanation.
 *
 * @param crate the crate's name
 * @param miss its latest miss
 * @param nearest the entry it is compared with, or empty when the store has none with a breakdown
 * @param differences what differs, the parts cargo derives from the others ({@link #derived}) last
 * @param laterHits the calls of the crate served from the cache after the miss, by the build journal
 */
record MissExplanation(String crate, Miss miss, Optional<EntryParts> nearest, List<Difference> differences,
                       List<java.time.Instant> laterHits) {

    MissExplanation(String crate, Miss miss, Optional<EntryParts> nearest, List<Difference> differences) {
        this(crate, miss, nearest, differences, List.of());
    }

    /** This explanation, saying that the crate hit {@code hits} times after its miss. */
    MissExplanation withLaterHits(List<java.time.Instant> hits) {
        return new MissExplanation(crate, miss, nearest, differences, List.copyOf(hits));
    }

    /** The line saying later calls hit, or empty when none did. */
    private String laterHitsText() {
        if (laterHits.isEmpty()) {
            return "";
        }
        return "Since this miss " + crate + " hit " + laterHits.size() + (laterHits.size() == 1 ? " time" : " times")
                + " (the last at " + laterHits.get(laterHits.size() - 1) + "): this is its latest miss, not what"
                + " its latest build did.\n";
    }

    static MissExplanation of(String crate, Miss miss, List<EntryParts> entries) {
        if (miss.unused().isPresent()) {
            return new MissExplanation(crate, miss, Optional.empty(), List.of());
        }
        EntryParts best = null;
        List<Difference> bestDiffs = List.of();
        long bestScore = Long.MAX_VALUE;
        for (EntryParts e : entries) {
            if (miss.entryKey().isPresent() && miss.entryKey().get().equals(e.entryKey())
                    || !miss.unit().couldBe(e.unit())) {
                continue;
            }
            List<Difference> diffs = ordered(miss.parts().differencesFrom(e.parts()));
            long score = diffs.stream().filter(d -> !derived(d.part())).count();
            if (score < bestScore) { // entries come newest first: a tie keeps the newer
                best = e;
                bestDiffs = diffs;
                bestScore = score;
            }
        }
        return new MissExplanation(crate, miss, Optional.ofNullable(best), bestDiffs);
    }

    private static List<Difference> ordered(List<Difference> diffs) {
        List<Difference> out = new ArrayList<>(diffs);
        out.sort(Comparator.comparing(d -> derived(d.part())));
        return out;
    }

    /**
     * Parts cargo computes from the others (the package, its features, profile, dependencies and
     * flags): {@code -C metadata} and {@code -C extra-filename} change along with a cause, and are
     * never the cause themselves.
     */
    static boolean derived(String part) {
        return part.equals("flag:-C metadata") || part.equals("flag:-C extra-filename") || part.equals("out-dir");
    }

    /** The kind of a part, for JSON: recipe, toolchain, salt, target, flag, cfg, extern, source-file, env… */
    static String kind(String part) {
        int colon = part.indexOf(':');
        String head = colon < 0 ? part : part.substring(0, colon);
        return switch (head) {
            case "file" -> "source-file";
            case "native", "native-dir" -> "native-input";
            case "absent" -> "module-file";
            case "root" -> "embedded-directory";
            case "cfg", "check-cfg" -> "cfg";
            case "crate-name", "crate-types", "emit", "source", "out-dir" -> "crate";
            default -> head;
        };
    }

    /** The name within the kind (a flag, a file, a variable), or empty for a part that is its kind. */
    static String name(String part) {
        int colon = part.indexOf(':');
        if (colon < 0) {
            return "";
        }
        String name = part.substring(colon + 1);
        return part.startsWith("file:") || part.startsWith("absent:") || part.startsWith("native")
                ? shownPath(name) : name;
    }

    /** A sentinel-normalized path as a user knows it: the workspace's relative, others as $NAME/…. */
    static String shownPath(String path) {
        String ws = PathSentinels.SENTINEL_ROOT + "/ws/";
        if (path.startsWith(ws)) {
            return path.substring(ws.length());
        }
        if (path.startsWith(PathSentinels.SENTINEL_ROOT + "/")) {
            return "$" + path.substring(PathSentinels.SENTINEL_ROOT.length() + 1);
        }
        return path;
    }

    /** One difference in plain words. */
    static String describe(Difference d) {
        String part = d.part();
        String name = name(part);
        if (kind(part).equals("module-file")) {
            // The part is the file's absence: "present" would say the opposite of what is on disk.
            return "module file " + name + ": " + (d.change() == KeyBreakdown.Change.REMOVED
                    ? "absent when the entry was compiled (which decided which file a `mod` loads); its absence"
                    + " does not count now (the file exists, or is no longer looked for)"
                    : "absent now (which decided which file a `mod` loads); the entry did not count on its absence");
        }
        String what = switch (kind(part)) {
            case "recipe" -> "the cache key recipe version (kache was upgraded; entries of the old recipe never match)";
            case "toolchain" -> "the toolchain (rustc -vV differs: another rustc version, channel or host)";
            case "salt" -> "the key salt (key_salt / KACHE_KEY_SALT)";
            case "target" -> "the target (--target)";
            case "linker" -> "the linker (-C linker, or its content)";
            case "driver" -> "the workspace wrapper in front of rustc (clippy-driver, its version or its configuration)";
            case "source-file" -> "source file " + name;
            case "env" -> "environment variable " + name + " (its value is not kept)";
            case "extern" -> "dependency " + name + " (the content of its compiled artifact)";
            case "flag" -> "flag " + name + (derived(part) ? " (cargo derives it from the package, features, profile,"
                    + " dependencies and flags)" : "");
            case "cfg" -> part.equals("check-cfg") ? "the declared cfgs and features (--check-cfg)" : "cfg " + name
                    + (name.startsWith("feature=") ? " (a cargo feature)" : "");
            case "native-input" -> "native link input " + name;
            case "embedded-directory" -> "the local directory $" + name + " embedded in the outputs";
            case "crate" -> switch (part) {
                case "crate-types" -> "the crate types (--crate-type)";
                case "emit" -> "what rustc emits (--emit: cargo check and cargo build differ here)";
                case "source" -> "the crate's root source file path";
                case "out-dir" -> "the output directory (another profile or target directory)";
                default -> "the crate name";
            };
            default -> part;
        };
        return what + ": " + change(d);
    }

    private static String change(Difference d) {
        return switch (d.change()) {
            case CHANGED -> d.part().startsWith("file:") ? "its content changed"
                    : d.part().startsWith("env:") ? "its value changed" : "changed";
            case ADDED -> d.part().startsWith("file:") ? "read now, not by the entry"
                    : d.part().startsWith("env:") ? "read now, not by the entry" : "present now, not in the entry";
            case REMOVED -> "in the entry, not now";
        };
    }

    /** The words for "nothing comparable". */
    static final String NEVER_CACHED = "this crate was never cached here with that call key, and the store has no"
            + " other entry of it to compare with. That may be because this is the first build with this store"
            + " (or since the crate's entries were removed by kache gc, kache purge or the size cap), or its entries"
            + " came from a remote by kache sync or the read-through (they carry no breakdown), or they were"
            + " compiled by a kache older than this one.";

    /** The crate and, when recorded, the unit that missed: {@code build_script_build (package app, build-script)}. */
    String unitName() {
        CargoUnit u = miss.unit();
        if (!u.packageKnown()) {
            return crate;
        }
        return crate + " (package " + u.packageName() + (u.kindKnown() ? ", " + u.kind() : "") + ")";
    }

    String text() {
        StringBuilder sb = new StringBuilder();
        sb.append(unitName()).append(" last missed at ").append(miss.at()).append(" (call key ")
                .append(shortKey(miss.callKey())).append(miss.entryKey().map(k -> ", stored as " + shortKey(k))
                        .orElse(", nothing stored: the compile failed or was not cacheable")).append(")\n")
                .append(laterHitsText());
        if (miss.unused().isPresent()) {
            sb.append(unusedText()).append('\n');
            return sb.toString();
        }
        if (nearest.isEmpty()) {
            sb.append("No entry to compare with: ").append(NEVER_CACHED).append('\n');
            return sb.toString();
        }
        sb.append("Nearest entry: ").append(shortKey(nearest.get().entryKey())).append(", stored ")
                .append(nearest.get().storedAt()).append('\n');
        if (differences.isEmpty()) {
            sb.append("Nothing in the key differs from that entry: it was stored by another build meanwhile,"
                    + " or it was unreadable or damaged when this call looked it up.\n");
            return sb.toString();
        }
        sb.append("What differed:\n");
        for (Difference d : differences) {
            sb.append("  ").append(describe(d)).append('\n');
        }
        return sb.toString();
    }

    String json() {
        StringBuilder sb = new StringBuilder("{\"crate\": ").append(JsonText.quote(crate))
                .append(", \"package\": ").append(miss.unit().packageKnown()
                        ? JsonText.quote(miss.unit().packageName()) : "null")
                .append(", \"targetKind\": ").append(miss.unit().kindKnown() ? JsonText.quote(miss.unit().kind()) : "null")
                .append(", \"missedAt\": ").append(JsonText.quote(miss.at().toString()))
                .append(", \"callKey\": ").append(JsonText.quote(miss.callKey()))
                .append(", \"storedAs\": ").append(miss.entryKey().map(JsonText::quote).orElse("null"))
                .append(", \"hitsSince\": ").append(laterHits.size())
                .append(", \"lastHitAt\": ").append(laterHits.isEmpty() ? "null"
                        : JsonText.quote(laterHits.get(laterHits.size() - 1).toString()))
                .append(", \"unused\": ").append(miss.unused().map(u -> "{\"entry\": " + JsonText.quote(u.entryKey())
                        + ", \"reason\": " + JsonText.quote(u.reason()) + "}").orElse("null"))
                .append(", \"nearest\": ");
        if (miss.unused().isPresent()) {
            sb.append("null, \"differences\": [], \"explanation\": ").append(JsonText.quote(unusedText())).append("}");
            return sb.toString();
        }
        if (nearest.isEmpty()) {
            sb.append("null, \"differences\": [], \"explanation\": ").append(JsonText.quote(NEVER_CACHED)).append("}");
            return sb.toString();
        }
        sb.append("{\"entry\": ").append(JsonText.quote(nearest.get().entryKey())).append(", \"storedAt\": ")
                .append(JsonText.quote(nearest.get().storedAt().toString())).append("}, \"differences\": [");
        for (int i = 0; i < differences.size(); i++) {
            Difference d = differences.get(i);
            sb.append(i == 0 ? "\n  " : ",\n  ").append("{\"kind\": ").append(JsonText.quote(kind(d.part())))
                    .append(", \"name\": ").append(JsonText.quote(name(d.part())))
                    .append(", \"change\": ").append(JsonText.quote(d.change().name().toLowerCase(java.util.Locale.ROOT)))
                    .append(", \"derived\": ").append(derived(d.part()))
                    .append(", \"text\": ").append(JsonText.quote(describe(d))).append('}');
        }
        sb.append(differences.isEmpty() ? "]}" : "\n]}");
        return sb.toString();
    }

    /** The words for a miss whose own call key's entry was there and not used. */
    private String unusedText() {
        MissRecords.Unused u = miss.unused().orElseThrow();
        return "Nothing in its key differed: the entry of this very call key (" + shortKey(u.entryKey())
                + ", compiled from the same inputs) was in the store but not used: " + u.reason() + ".";
    }

    private static String shortKey(String key) {
        return key.length() > 12 ? key.substring(0, 12) : key;
    }
}
