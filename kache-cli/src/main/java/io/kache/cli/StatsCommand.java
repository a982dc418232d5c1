package io.kache.cli;

import io.kache.core.config.ByteSize;
import io.kache.core.config.DurationValue;
import io.kache.core.config.KacheConfig;
import io.kache.core.journal.BuildSummary;
import io.kache.core.store.LocalStore;
import io.kache.core.store.StoreStats;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code kache stats [--json] [--reset | --since DURATION]}: size and counters of the local store, and what waits for the remote. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Show entries, size, hits, misses, passthroughs, bytes restored, uploads waiting for the remote"
                + " and whether builds are leaving the remote alone.")
final class StatsCommand extends StoreCommand {

    @Option(names = "--json", description = "One JSON object.")
    boolean json;

    @Option(names = "--reset", description = "Show the counters, then set hits, misses, passthroughs and bytes"
            + " restored to zero (the next stats counts from now).")
    boolean reset;

    @Option(names = "--since", paramLabel = "DURATION", description = "Count hits, misses, passthroughs and bytes"
            + " restored of the calls since this long ago (e.g. 30m, 2h, 1d; the build journal keeps 7 days).")
    String since;

    private Duration sinceDuration;

    @Override
    void check() {
        if (since == null) {
            return;
        }
        if (reset) {
            throw new ParameterException(spec.commandLine(), "--since and --reset cannot be used together");
        }
        try {
            sinceDuration = DurationValue.parse(since);
        } catch (RuntimeException e) {
            throw new ParameterException(spec.commandLine(), "--since: " + e.getMessage());
        }
    }

    @Override
    void run(LocalStore store, KacheConfig config, PrintWriter out) throws IOException {
        StoreStats stats = store.stats();
        if (sinceDuration != null) {
            stats = window(stats, store, sinceDuration);
        }
        print(store.root(), stats, RemoteBacklog.of(store, config), out);
        if (reset) {
            store.resetCounters();
            if (!json) {
                out.println("counters reset");
            }
        }
    }

    /**
     * {@code stats} with its counters taken from the build journal's calls since {@code ago}: the
     * store-wide counters count since their last reset, the journal keeps each call.
     */
    private static StoreStats window(StoreStats all, LocalStore store, Duration ago) throws IOException {
        long from = System.currentTimeMillis() - ago.toMillis();
        BuildSummary s = BuildSummary.of(store.journal().read(from));
        Map<String, Long> reasons = new HashMap<>();
        s.passthroughs().forEach((reason, n) -> reasons.merge(reason, (long) n, Long::sum));
        s.errors().forEach((reason, n) -> reasons.merge("kache error", (long) n, Long::sum));
        long passthroughs = reasons.values().stream().mapToLong(Long::longValue).sum();
        return new StoreStats(all.entries(), all.packedEntries(), all.uniqueBytes(), all.maxBytes(), s.hits(),
                s.stored() + s.misses(), passthroughs, s.bytesRestored(), reasons,
                Optional.of(Instant.ofEpochMilli(from)));
    }

    @Override
    void runWithoutStore(KacheConfig config, PrintWriter out) {
        print(config.localStore(), new StoreStats(0, 0, 0, config.localMaxSize(), 0, 0, 0, 0, Map.of(),
                Optional.empty()), RemoteBacklog.none(), out);
    }

    private void print(Path root, StoreStats s, RemoteBacklog backlog, PrintWriter out) {
        if (json) {
            StringBuilder reasons = new StringBuilder("{");
            s.passthroughReasons().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                    reasons.append(reasons.length() > 1 ? ", " : "").append(JsonText.quote(e.getKey())).append(": ")
                            .append(e.getValue()));
            reasons.append('}');
            out.println("{\"root\": " + JsonText.quote(root.toString()) + ", \"entries\": " + s.entries()
                    + ", \"packedEntries\": " + s.packedEntries() + ", \"uniqueBytes\": " + s.uniqueBytes()
                    + ", \"maxBytes\": " + s.maxBytes()
                    + ", \"hits\": " + s.hits() + ", \"misses\": " + s.misses()
                    + ", \"passthroughs\": " + s.passthroughs() + ", \"passthroughReasons\": " + reasons
                    + ", \"bytesRestored\": " + s.bytesRestored()
                    + ", \"countingSince\": " + s.countingSince().map(t -> JsonText.quote(t.toString())).orElse("null")
                    + ", \"pendingUploads\": " + backlog.json() + ", \"remoteUnavailable\": " + backlog.outageJson()
                    + ", \"uploadsRefused\": " + backlog.refusalJson() + "}");
            return;
        }
        out.println("local store      " + root);
        out.println("entries          " + s.entries() + (s.packedEntries() == 0 ? ""
                : " (" + s.packedEntries() + " pulled, unpacked on first use)"));
        out.println("size             " + ByteSize.format(s.uniqueBytes()) + " of " + ByteSize.format(s.maxBytes()));
        out.println("hits             " + s.hits());
        out.println("misses           " + s.misses());
        out.printf(Locale.ROOT, "hit rate         %.1f%%%n", 100 * s.hitRate());
        out.println("passthroughs     " + s.passthroughs());
        s.passthroughReasons().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> out.println("  " + e.getKey() + ": " + e.getValue()));
        out.println("bytes restored   " + ByteSize.format(s.bytesRestored()));
        s.countingSince().ifPresent(t -> out.println("counting since   " + t));
        out.println("pending uploads  " + backlog.pendingText());
        out.println("remote           " + backlog.remoteText());
    }
}
