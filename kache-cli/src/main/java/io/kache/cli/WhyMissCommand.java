package io.kache.cli;

import io.kache.api.ArtifactKey;
import io.kache.core.config.KacheConfig;
import io.kache.core.journal.BuildEvent;
import io.kache.core.rustc.CargoUnit;
import io.kache.core.store.EntryInfo;
import io.kache.core.store.LocalStore;
import io.kache.core.store.MissRecords;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code kache why-miss CRATE [--package NAME] [--kind KIND] [--json] [--manifest-path PATH]}: why the
 * crate's latest miss missed. A crate name may be several units (every build script is
 * {@code build_script_build}, a package's lib and bin may share a name): each is explained against its
 * own entries, and a name that is still several units with {@code --package} and {@code --kind} is a
 * usage error naming them ({@link AmbiguousMiss}).
 */
@Command(name = "why-miss", mixinStandardHelpOptions = true,
        description = {"Why a crate's most recent miss missed: what differed from the nearest entry the store has"
                + " for it (toolchain, target, a flag, a feature, a dependency's content, a source file, an"
                + " environment variable by name, the recipe version, the salt).",
                "Only names and digests are kept for this, never file contents or variables' values."})
final class WhyMissCommand extends StoreCommand {

    @Parameters(paramLabel = "CRATE", description = "The crate (a package name's '-' is taken as the crate's '_').")
    String crate;

    @Option(names = "--package", paramLabel = "NAME", description = "Only the crate of this package (cargo's"
            + " package name): every build script is crate build_script_build, and a package's lib and bin may share"
            + " a name.")
    String packageName;

    @Option(names = "--kind", paramLabel = "KIND", description = "Only the crate of this target kind: lib, bin,"
            + " proc-macro, build-script, test (a package's lib and bin may share a name).")
    String kind;

    @Option(names = "--json", description = "One JSON object.")
    boolean json;

    @Option(names = "--manifest-path", paramLabel = "PATH",
            description = "The Cargo.toml of the workspace (its configuration is used, as a build there would).")
    Path manifestPath;

    private int exitCode;

    private final Set<Path> skipped = new HashSet<>();

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
    void runWithoutStore(KacheConfig config, PrintWriter out) {
        noMiss(config, out);
    }

    @Override
    void run(LocalStore store, KacheConfig config, PrintWriter out) throws IOException {
        MissRecords records = store.missRecords();
        List<MissRecords.Miss> all = records.lastMisses(crate, this::skipped);
        List<MissRecords.Miss> misses = all.stream()
                .filter(m -> (packageName == null || m.unit().isPackage(packageName))
                        && (kind == null || m.unit().kind().equals(kind))).toList();
        if (misses.isEmpty()) {
            noMiss(config, out, all);
            return;
        }
        if (misses.size() > 1) {
            AmbiguousMiss ambiguous = new AmbiguousMiss(crate, packageName, kind, misses);
            if (json) {
                out.println(ambiguous.json());
            } else {
                err().println(ambiguous.text());
            }
            exitCode = AmbiguousMiss.EXIT;
            return;
        }
        MissRecords.Miss miss = misses.get(0);
        MissExplanation explained = MissExplanation.of(crate, miss, withPackages(store,
                records.entries(crate, this::skipped)))
                .withLaterHits(laterHits(store, miss));
        out.println(json ? explained.json() : explained.text().stripTrailing());
    }

    /**
     * A record that could not be read is left out like one of another format, but said (once, on stderr:
     * stdout stays the one answer): the explanation may lack what it held, and it is what to delete.
     */
    private void skipped(Path record, String why) {
        if (skipped.add(record)) {
            err().println("kache: why-miss: skipped " + record + " (" + why + "), a damaged record;"
                    + " deleting it loses no cached entry");
        }
    }

    @Override
    int exitCode() {
        return exitCode;
    }

    /**
     * {@code entries} with the package of those an older kache recorded without one, as their entry
     * says ({@link io.kache.core.store.EntryInfo#packageName}): it then explains no miss of another package.
     */
    private List<MissRecords.EntryParts> withPackages(LocalStore store, List<MissRecords.EntryParts> entries)
            throws IOException {
        if (entries.stream().allMatch(e -> e.unit().packageKnown())) {
            return entries;
        }
        Map<String, String> packages = new HashMap<>();
        for (EntryInfo info : store.list(Optional.of(crate))) {
            info.packageName().ifPresent(p -> packages.put(info.key().cacheKey(), p));
        }
        return entries.stream().map(e -> e.unit().packageKnown() || !packages.containsKey(e.entryKey()) ? e
                : e.of(new CargoUnit(packages.get(e.entryKey()), e.unit().kind()))).toList();
    }

    /** The units of {@code misses} in words: {@code app (build-script), greet-lib (build-script)}. */
    private static String units(List<MissRecords.Miss> misses) {
        return misses.stream().map(m -> (m.unit().packageKnown() ? "package " + m.unit().packageName()
                        : "a package an older kache did not record") + " (" + m.unit().kind() + ")")
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /** When the crate (that unit of it) hit after {@code miss}, by the build journal (which keeps some days). */
    private List<Instant> laterHits(LocalStore store, MissRecords.Miss miss) {
        try {
            return store.journal().read(miss.at().toEpochMilli()).stream()
                    .filter(e -> e.crate().equals(crate) && miss.unit().couldBe(e.unit())
                            && e.outcome() == BuildEvent.Outcome.HIT && e.timeMillis() > miss.at().toEpochMilli())
                    .map(e -> Instant.ofEpochMilli(e.timeMillis())).toList();
        } catch (IOException | RuntimeException e) {
            return List.of(); // the journal only adds to the explanation
        }
    }

    private void noMiss(KacheConfig config, PrintWriter out) {
        noMiss(config, out, List.of());
    }

    /** No miss of the crate, or none of {@code --package}'s: then the packages it did miss in are named. */
    private void noMiss(KacheConfig config, PrintWriter out, List<MissRecords.Miss> otherPackages) {
        String of = crate + (packageName == null ? "" : " of package " + packageName)
                + (kind == null ? "" : " (" + kind + ")");
        String why = "kache recorded no miss of " + of + " in " + config.localStore() + ": it hit every time,"
                + " or it never went through kache (is RUSTC_WRAPPER set?), or kache passed it through"
                + " (kache stats counts passthroughs by reason)"
                + (otherPackages.isEmpty() ? "" : ". It recorded misses of " + crate + " in: " + units(otherPackages));
        out.println(json ? "{\"crate\": " + JsonText.quote(crate) + ", \"package\": "
                + JsonText.quoteOrNull(packageName) + ", \"targetKind\": " + JsonText.quoteOrNull(kind)
                + ", \"missedAt\": null, \"explanation\": " + JsonText.quote(why) + "}" : why);
    }
}
