package io.kache.core.journal;

import io.kache.core.rustc.CargoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What some wrapper calls did, summed up: {@code kache report}'s numbers.
 *
 * @param builds the builds the calls belong to
 * @param from the first call's time (epoch millis), 0 when there were none
 * @param to the last call's time
 * @param hits calls served from the cache
 * @param stored misses compiled and stored
 * @param misses misses compiled but not stored (not cacheable, or rustc failed)
 * @param passthroughs calls run unchanged, by reason
 * @param errors calls where kache failed and rustc ran directly, by reason
 * @param savedMillis the compile time the hits recorded when they were stored: what they saved
 * @param compileMillis the compile time of the misses
 * @param bytesRestored bytes the hits placed
 * @param remoteGets entries downloaded by the read-through
 * @param remotePuts entries queued for the remote by the write-back
 * @param crates one row per crate, package and kind, sorted by crate
 */
public record BuildSummary(List<String> builds, long from, long to, int hits, int stored, int misses,
                           Map<String, Integer> passthroughs, Map<String, Integer> errors, long savedMillis,
                           long compileMillis, long bytesRestored, int remoteGets, int remotePuts, List<Crate> crates) {

    /**
     * One crate of one package (and kind) of the report: its calls' outcomes, in order, and their
     * totals. Every build script is crate {@code build_script_build}: only its package tells them apart.
     *
     * @param packageName the package, {@link CargoUnit#UNKNOWN} for lines written before kache noted it
     */
    public record Crate(String crate, String packageName, String kind, List<String> outcomes, long millis,
                        long bytes) {

        /** The package, when the calls had one and their lines noted it. */
        public Optional<String> knownPackage() {
            return new CargoUnit(packageName, kind).packageKnown() ? Optional.of(packageName) : Optional.empty();
        }
    }

    /** Sums up {@code events}. */
    public static BuildSummary of(List<BuildEvent> events) {
        List<String> builds = new ArrayList<>();
        Map<String, Integer> passthroughs = new TreeMap<>();
        Map<String, Integer> errors = new TreeMap<>();
        Map<String, List<BuildEvent>> byCrate = new TreeMap<>();
        int hits = 0;
        int stored = 0;
        int misses = 0;
        long saved = 0;
        long compiled = 0;
        long bytes = 0;
        int gets = 0;
        int puts = 0;
        for (BuildEvent e : events) {
            if (!builds.contains(e.build())) {
                builds.add(e.build());
            }
            switch (e.outcome()) {
                case HIT -> {
                    hits++;
                    saved += e.compileMillis();
                }
                case STORED -> {
                    stored++;
                    compiled += e.compileMillis();
                }
                case MISS -> {
                    misses++;
                    compiled += e.compileMillis();
                }
                case PASSTHROUGH -> passthroughs.merge(e.reason(), 1, Integer::sum);
                case ERROR -> errors.merge(e.reason(), 1, Integer::sum);
                default -> throw new IllegalStateException(e.outcome().toString());
            }
            bytes += e.bytesRestored();
            gets += e.remoteGets();
            puts += e.remotePuts();
            if (!e.crate().equals("-")) {
                byCrate.computeIfAbsent(e.crate() + "\t" + e.packageName() + "\t" + e.kind(),
                        k -> new ArrayList<>()).add(e);
            }
        }
        List<Crate> crates = new ArrayList<>();
        byCrate.forEach((k, list) -> crates.add(new Crate(list.get(0).crate(), list.get(0).packageName(),
                list.get(0).kind(),
                list.stream().map(e -> e.outcome() == BuildEvent.Outcome.PASSTHROUGH
                        ? "passthrough (" + e.reason() + ")" : e.outcome().label()).toList(),
                list.stream().mapToLong(BuildEvent::compileMillis).sum(),
                list.stream().mapToLong(BuildEvent::bytesRestored).sum())));
        crates.sort(Comparator.comparing(Crate::crate).thenComparing(Crate::packageName).thenComparing(Crate::kind));
        long from = events.isEmpty() ? 0 : events.get(0).timeMillis();
        long to = events.isEmpty() ? 0 : events.get(events.size() - 1).timeMillis();
        return new BuildSummary(builds, from, to, hits, stored, misses, passthroughs, errors, saved, compiled, bytes,
                gets, puts, crates);
    }

    /** The events of the newest build among {@code events} (sorted by time). */
    public static List<BuildEvent> lastBuild(List<BuildEvent> events) {
        Optional<String> last = events.stream().filter(e -> !e.crate().equals("-"))
                .reduce((a, b) -> b).map(BuildEvent::build);
        return last.map(b -> events.stream().filter(e -> e.build().equals(b)).toList()).orElse(List.of());
    }

    public int calls() {
        return hits + stored + misses + passthroughs.values().stream().mapToInt(Integer::intValue).sum()
                + errors.values().stream().mapToInt(Integer::intValue).sum();
    }
}
