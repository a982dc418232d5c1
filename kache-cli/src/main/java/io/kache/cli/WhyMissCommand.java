package io.kache.cli;

import io.kache.api.ArtifactKey;
import io.kache.core.config.KacheConfig;
import io.kache.core.journal.BuildEvent;
import io.kache.core.store.LocalStore;
import io.kache.core.store.MissRecords;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code kache why-miss CRATE [--json] [--manifest-path PATH]}: why the crate's latest miss missed. */
@Command(name = "why-miss", mixinStandardHelpOptions = true,
        description = {"Why a crate's most recent miss missed: what differed from the nearest entry the store has"
                + " for it (toolchain, target, a flag, a feature, a dependency's content, a source file, an"
                + " environment variable by name, the recipe version, the salt).",
                "Only names and digests are kept for this, never file contents or variables' values."})
final class WhyMissCommand extends StoreCommand {

    @Parameters(paramLabel = "CRATE", description = "The crate (a package name's '-' is taken as the crate's '_').")
    String crate;

    @Option(names = "--json", description = "One JSON object.")
    boolean json;

    @Option(names = "--manifest-path", paramLabel = "PATH",
            description = "The Cargo.toml of the workspace (its configuration is used, as a build there would).")
    Path manifestPath;

    @Override
    void check() {
        String asCrate = crate.replace('-', '_');
        if (!ArtifactKey.isValidCrateName(asCrate)) {
            throw new ParameterException(spec.commandLine(), "'" + crate
                    + "' is not a crate name (letters, digits, '_' and '-')");
        }
        crate = asCrate;
        if (manifestPath != null && !Files.isRegularFile(parent.invocation().cwd().resolve(manifestPath))) {
            throw new ParameterException(spec.commandLine(), "--manifest-path " + manifestPath + ": no such file");
        }
    }

    @Override
    Path configDir(Path cwd) {
        // cargo runs rustc (and so kache) from the workspace root: its .kache.toml is the one that applied.
        return manifestPath == null ? cwd : cwd.resolve(manifestPath).toAbsolutePath().normalize().getParent();
    }

    @Override
    boolean onlyReads() {
        return true;
    }

    @Override
    void runWithoutStore(KacheConfig config, PrintWriter out) {
        noMiss(config, out);
    }

    @Override
    void run(LocalStore store, KacheConfig config, PrintWriter out) throws IOException {
        MissRecords records = store.missRecords();
        Optional<MissRecords.Miss> miss = records.lastMiss(crate);
        if (miss.isEmpty()) {
            noMiss(config, out);
            return;
        }
        MissExplanation explanation = MissExplanation.of(crate, miss.get(), records.entries(crate))
                .withLaterHits(laterHits(store, miss.get()));
        out.println(json ? explanation.json() : explanation.text().stripTrailing());
    }

    /** When the crate hit after {@code miss}, by the build journal (which keeps some days). */
    private List<Instant> laterHits(LocalStore store, MissRecords.Miss miss) {
        try {
            return store.journal().read(miss.at().toEpochMilli()).stream()
                    .filter(e -> e.crate().equals(crate) && e.outcome() == BuildEvent.Outcome.HIT
                            && e.timeMillis() > miss.at().toEpochMilli())
                    .map(e -> Instant.ofEpochMilli(e.timeMillis())).toList();
        } catch (IOException | RuntimeException e) {
            return List.of(); // the journal only adds to the explanation
        }
    }

    private void noMiss(KacheConfig config, PrintWriter out) {
        String why = "kache recorded no miss of " + crate + " in " + config.localStore() + ": it hit every time,"
                + " or it never went through kache (is RUSTC_WRAPPER set?), or kache passed it through"
                + " (kache stats counts passthroughs by reason)";
        out.println(json ? "{\"crate\": " + JsonText.quote(crate) + ", \"missedAt\": null, \"explanation\": "
                + JsonText.quote(why) + "}" : why);
    }
}
