package io.kache.cli;

import io.kache.api.ArtifactStore;
import io.kache.api.StoreException;
import io.kache.core.Invocation;
import io.kache.core.config.ConfigLoader;
import io.kache.core.config.KacheConfig;
import io.kache.core.remote.RemoteStores;
import io.kache.core.store.LocalStore;
import io.kache.core.sync.OutageGuard;
import io.kache.core.sync.SyncExecutor;
import io.kache.core.sync.SyncListener;
import io.kache.core.sync.SyncOptions;
import io.kache.core.sync.SyncPlan;
import io.kache.core.sync.SyncPlanner;
import io.kache.core.sync.SyncResult;
import io.kache.core.sync.cargo.ProjectCrates;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code kache sync}: pull the remote's entries of this project's crates that the local store
 * lacks, then push this workspace's entries that the remote lacks.
 */
@Command(name = "sync", mixinStandardHelpOptions = true,
        description = {"Pull the project's entries from the remote, then push the workspace's own.",
            "Pull lists only the crates of Cargo.lock; push only the workspace members' entries."})
final class SyncCommand implements Callable<Integer> {

    /** Exit status when a transfer or listing failed (and --allow-partial was not given). */
    static final int EXIT_INCOMPLETE = 1;

    @ParentCommand
    KacheCli parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--pull", description = "Only pull.")
    boolean pullOnly;

    @Option(names = "--push", description = "Only push.")
    boolean pushOnly;

    @Option(names = "--all", description = "Every crate, not only the project's.")
    boolean all;

    @Option(names = "--dry-run", description = "Print what would move (pull N, push M, one line per entry); change nothing.")
    boolean dryRun;

    @Option(names = "--allow-partial", description = "Exit 0 even if some transfers failed.")
    boolean allowPartial;

    @Option(names = "--manifest-path", paramLabel = "PATH", description = "The Cargo.toml of the workspace.")
    Path manifestPath;

    @Option(names = "--json", description = "Print one JSON object instead of text; no progress display.")
    boolean json;

    @Override
    public Integer call() {
        Invocation inv = parent.invocation();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        KacheConfig config = ConfigLoader.load(inv.env(), inv.cwd());
        if (config.remoteSettings().isEmpty()) {
            err.println("kache sync: " + (config.localOnly()
                    ? "local_only is set (KACHE_LOCAL_ONLY or [cache] local_only): there is no remote to sync with"
                    : config.disabled() ? "KACHE_DISABLED is set: kache is off"
                    : "no remote is configured: set [cache.remote] in the config file, or KACHE_S3_BUCKET"
                            + " (with KACHE_S3_ENDPOINT for a non-AWS server); kache config shows what kache sees"));
            return KacheCli.EXIT_BAD_CONFIG;
        }
        boolean pull = pullOnly || !pushOnly;
        boolean push = pushOnly || !pullOnly;
        List<String> notes = new ArrayList<>();
        if (config.remoteReadonly() && push && !pushOnly) {
            push = false;
            notes.add("push skipped: remote_readonly is set, kache only reads the remote");
        }
        ProjectCrates crates;
        try {
            crates = all ? ProjectCrates.everything()
                    : ProjectCrates.discover(inv.cwd(), Optional.ofNullable(manifestPath), inv.env());
        } catch (IOException e) {
            err.println("kache sync: " + e.getMessage());
            return KacheCli.EXIT_BAD_CONFIG;
        }
        notes.addAll(crates.notes());
        // A remote that stops answering is given up for the rest of this sync (OutageGuard): the
        // remaining listings and transfers are each reported at once instead of each waiting out `timeout`.
        try (ArtifactStore remote = new OutageGuard(RemoteStores.open(config, inv.env()).orElseThrow());
             LocalStore local = LocalStore.open(config.localStore(), config.localMaxSize())) {
            local.awaitStoresInFlight(StoreCommand.IN_FLIGHT_WAIT);
            SyncOptions options = SyncOptions.of(config);
            SyncPlanner planner = new SyncPlanner(remote, local, options.concurrency(), options.retry());
            SyncReport report = new SyncReport(out, err, notes);
            if (dryRun) {
                SyncPlan plan = planner.plan(crates, pull, push);
                out.print(json ? SyncJson.plan(plan, notes) : report.plan(plan));
                return exit(plan.listingFailures().isEmpty());
            }
            SyncListener progress = json ? SyncListener.NONE : SyncProgress.create(err, isTerminal(inv));
            report.notes();
            SyncResult result = new SyncExecutor(remote, local, options).execute(planner, crates, pull, push, progress);
            out.print(json ? SyncJson.result(result, notes) : report.summary(result));
            return exit(result.complete());
        } catch (StoreException e) {
            err.println("kache sync: cannot open the remote: " + e.getMessage());
            return KacheCli.EXIT_BAD_CONFIG;
        } catch (IOException e) {
            err.println("kache sync: " + e.getMessage());
            return EXIT_INCOMPLETE;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int exit(boolean complete) {
        return complete || allowPartial ? 0 : EXIT_INCOMPLETE;
    }

    // Only a real console gets the redrawn progress line; pipes and captured streams get plain lines.
    private static boolean isTerminal(Invocation inv) {
        return System.console() != null && inv.err() == System.err;
    }
}
