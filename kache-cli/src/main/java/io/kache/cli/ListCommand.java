package io.kache.cli;

import io.kache.api.ArtifactKey;
import io.kache.core.config.ByteSize;
import io.kache.core.config.KacheConfig;
import io.kache.core.store.EntryInfo;
import io.kache.core.store.LocalStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code kache list [CRATE] [--json]}: the entries of the local store. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the entries of the local store, of one crate or of all.")
final class ListCommand extends StoreCommand {

    @Parameters(arity = "0..1", paramLabel = "CRATE",
            description = "Only this crate (exact name; a package name's '-' is taken as the crate's '_').")
    String crate;

    @Option(names = "--json", description = "One JSON array of entries.")
    boolean json;



    @Override
    void check() {
        if (crate == null) {
            return;
        }
        // cargo names a package greet-lib and its crate greet_lib; users type the package's name.
        String asCrate = crate.replace('-', '_');
        if (!ArtifactKey.isValidCrateName(asCrate)) {
            throw new ParameterException(spec.commandLine(), "'" + crate
                    + "' is not a crate name (letters, digits, '_' and '-')");
        }
        crate = asCrate;
    }

    @Override
    void runWithoutStore(KacheConfig config, PrintWriter out) {
        out.println(json ? "[]" : "0 entries");
    }

    @Override
    void run(LocalStore store, KacheConfig config, PrintWriter out) throws IOException {
        List<EntryInfo> entries = store.list(Optional.ofNullable(crate));
        if (json) {
            out.print('[');
            for (int i = 0; i < entries.size(); i++) {
                EntryInfo e = entries.get(i);
                out.print((i == 0 ? "" : ",") + "\n  {\"crate\": " + JsonText.quote(e.key().crateName())
                        + ", \"key\": " + JsonText.quote(e.key().cacheKey()) + ", \"files\": " + e.files()
                        + ", \"size\": " + e.size() + ", \"lastUsed\": " + JsonText.quote(e.lastUsed().toString())
                        + ", \"packed\": " + e.packed()
                        + ", \"package\": " + e.packageName().map(JsonText::quote).orElse("null") + "}");
            }
            out.println(entries.isEmpty() ? "]" : "\n]");
            return;
        }
        for (EntryInfo e : entries) {
            out.printf("%-30s %s %3d files %10s  %s%s%n", shownName(e), e.key().shortKey(), e.files(),
                    ByteSize.format(e.size()), e.lastUsed(), e.packed() ? "  packed" : "");
        }
        out.println(entries.size() + (entries.size() == 1 ? " entry" : " entries"));
    }

    /**
     * The crate, and its package where that says more than the crate's name does: every build
     * script is crate {@code build_script_build} ({@code build_script_build (greet-lib)}).
     */
    static String shownName(EntryInfo e) {
        return shownName(e.key().crateName(), e.packageName());
    }

    /** {@code crate}, and {@code pkg} where that says more than the crate's name does (also for kache report). */
    static String shownName(String crate, java.util.Optional<String> pkg) {
        return pkg.filter(p -> !p.replace('-', '_').equals(crate)).map(p -> crate + " (" + p + ")").orElse(crate);
    }
}
