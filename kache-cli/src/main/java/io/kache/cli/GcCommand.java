package io.kache.cli;

import io.kache.core.config.ByteSize;
import io.kache.core.config.DurationValue;
import io.kache.core.config.KacheConfig;
import io.kache.core.store.CallKeyIndex;
import io.kache.core.store.GcResult;
import io.kache.core.store.LocalStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code kache gc [--max-age DURATION]}: expire, evict to the size cap, and sweep the local store. */
@Command(name = "gc", mixinStandardHelpOptions = true,
        description = "Remove entries unused for longer than --max-age, evict least recently used entries beyond"
                + " the size cap, delete unreferenced blobs and leftovers of interrupted writes.")
final class GcCommand extends StoreCommand {

    @Option(names = "--max-age", paramLabel = "DURATION", description = "e.g. 7d, 24h, 30m.")
    String maxAge;



    private Optional<Duration> age = Optional.empty();

    @Override
    void check() {
        try {
            age = maxAge == null ? Optional.empty() : Optional.of(DurationValue.parse(maxAge));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--max-age: " + e.getMessage());
        }
        if (age.isPresent() && age.get().isZero()) {
            // Every entry is older than zero: that is a purge, and it should be asked for as one.
            throw new ParameterException(spec.commandLine(), "--max-age: must be more than 0 (to remove every"
                    + " entry, run kache purge)");
        }
    }

    @Override
    void run(LocalStore store, KacheConfig config, PrintWriter out) throws IOException {
        GcResult r = store.gc(age);
        CallKeyIndex.Pruned forgotten = ForgottenCallKeys.prune(store, config);
        out.println("removed " + r.entriesRemoved() + " entries and " + r.blobsRemoved() + " blobs, freed "
                + ByteSize.format(r.bytesFreed()) + "; " + r.entriesRemaining() + " entries, "
                + ByteSize.format(r.bytesRemaining()) + " left"
                + (r.tempFilesRemoved() > 0 ? "; " + r.tempFilesRemoved() + " leftover temp files removed" : "")
                + ForgottenCallKeys.summary(forgotten));
    }
}
