package io.kache.cli;

import io.kache.api.ArtifactKey;
import io.kache.core.config.ByteSize;
import io.kache.core.config.KacheConfig;
import io.kache.core.store.CallKeyIndex;
import io.kache.core.store.GcResult;
import io.kache.core.store.LocalStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code kache purge [--crate-name NAME]}: empty the local store, or drop one crate's entries. */
@Command(name = "purge", mixinStandardHelpOptions = true,
        description = "Remove every entry of the local store, or only those of one crate.")
final class PurgeCommand extends StoreCommand {

    @Option(names = "--crate-name", paramLabel = "NAME", description = "Only this crate (exact name, '_' not '-').")
    String crateName;



    @Override
    void check() {
        if (crateName != null && !ArtifactKey.isValidCrateName(crateName)) {
            throw new ParameterException(spec.commandLine(), "--crate-name: '" + crateName
                    + "' is not a crate name (letters, digits and '_'; cargo's '-' becomes '_')");
        }
    }

    @Override
    void run(LocalStore store, KacheConfig config, PrintWriter out) throws IOException {
        GcResult r = store.purge(Optional.ofNullable(crateName));
        CallKeyIndex.Pruned forgotten = ForgottenCallKeys.prune(store, config);
        out.println("removed " + r.entriesRemoved() + (r.entriesRemoved() == 1 ? " entry" : " entries")
                + (crateName == null ? "" : " of crate " + crateName) + ", freed " + ByteSize.format(r.bytesFreed())
                + ForgottenCallKeys.summary(forgotten));
    }
}
