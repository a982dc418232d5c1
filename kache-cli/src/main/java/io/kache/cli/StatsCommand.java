package io.kache.cli;

import io.kache.core.config.ByteSize;
import io.kache.core.config.KacheConfig;
import io.kache.core.store.LocalStore;
import io.kache.core.store.StoreStats;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kache stats [--json]}: size and counters of the local store. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Show entries, size, hits, misses, passthroughs and bytes restored.")
final class StatsCommand extends StoreCommand {

    @Option(names = "--json", description = "One JSON object.")
    boolean json;



    @Override
    void run(LocalStore store, KacheConfig config, PrintWriter out) throws IOException {
        print(store.root(), store.stats(), out);
    }

    @Override
    boolean onlyReads() {
        return true;
    }

    @Override
    void runWithoutStore(KacheConfig config, PrintWriter out) {
        print(config.localStore(), new StoreStats(0, 0, 0, config.localMaxSize(), 0, 0, 0, 0, Map.of()), out);
    }

    private void print(Path root, StoreStats s, PrintWriter out) {
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
                    + ", \"bytesRestored\": " + s.bytesRestored() + "}");
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
    }
}
