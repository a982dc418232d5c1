package io.kache.cli;

import io.kache.api.ArtifactStore;
import io.kache.api.StoreException;
import io.kache.core.Invocation;
import io.kache.core.config.ConfigLoader;
import io.kache.core.config.KacheConfig;
import io.kache.core.remote.RemoteDestination;
import io.kache.core.remote.RemoteStores;
import io.kache.core.store.LocalStore;
import io.kache.core.sync.Direction;
import io.kache.core.sync.OutageGuard;
import io.kache.core.sync.SyncExecutor;
import io.kache.core.sync.SyncListener;
import io.kache.core.sync.SyncOptions;
import io.kache.core.sync.SyncPlan;
import io.kache.core.sync.SyncPlanner;
import io.kache.core.sync.SyncResult;
import io.kache.core.sync.TransferOutcome;
import io.kache.core.sync.cargo.FeatureRequest;
import io.kache.core.sync.cargo.ProjectCrates;
import io.kache.core.sync.records.BuildIdentity;
import io.kache.core.sync.records.BuildRecord;
import io.kache.core.sync.records.BuildIdentities;
import io.kache.core.sync.records.JournalRecords;
import io.kache.core.sync.records.PreviousRecords;
import io.kache.core.sync.records.RecordChoice;
import io.kache.core.sync.records.RecordWriter;
import io.kache.api.ArtifactKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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

    @Option(names = "--all", description = {"Every crate, not only the project's: needed to pull without a Cargo.lock"
            + " (and without a build record) or to push outside a cargo project."})
    boolean all;

    @Option(names = "--target", paramLabel = "TRIPLE", description = "The target whose build record a pull reads"
            + " (default: CARGO_BUILD_TARGET, else the host).")
    String target;

    @Option(names = "--profile", paramLabel = "NAME", description = "The cargo profile whose build record a pull reads"
            + " (default: dev).")
    String profile;

    @Option(names = "--release", description = "Same as --profile release.")
    boolean release;

    @Option(names = {"-F", "--features"}, paramLabel = "FEATURES", description = "The features of the build whose"
            + " record a pull reads, as given to cargo (comma or space separated, MEMBER/FEATURE too).")
    List<String> features = new ArrayList<>();

    @Option(names = "--all-features", description = "The build whose record a pull reads has --all-features.")
    boolean allFeatures;

    @Option(names = "--no-default-features", description = "The build whose record a pull reads has"
            + " --no-default-features.")
    boolean noDefaultFeatures;

    @Option(names = "--kind", paramLabel = "KIND", description = "The kind of build whose record a pull reads:"
            + " build (cargo build, test, run: linked outputs; the default), check (cargo check, doc: metadata"
            + " only), clippy (cargo clippy) or all (every kind's record, for a job that runs several).")
    String kind = BuildIdentity.BUILD;

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
        long begin = System.nanoTime();
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
        if (!all && pull && crates.pull().isEmpty() && crates.workspace().isEmpty()) {
            err.println("kache sync: not in a cargo project, so there is no Cargo.lock or build record to choose"
                    + " what to pull; pass --all to pull every entry in the remote");
            return KacheCli.EXIT_BAD_CONFIG;
        }
        if (!List.of(BuildIdentity.BUILD, BuildIdentity.CHECK, BuildIdentity.CLIPPY, "all").contains(kind)) {
            err.println("kache sync: --kind is build, check, clippy or all, not '" + kind + "'");
            return KacheCli.EXIT_BAD_CONFIG;
        }
        if (!all && push && crates.push().isEmpty()) {
            err.println("kache sync: not in a cargo project, so kache cannot tell this workspace's entries;"
                    + " pass --all to push every local entry");
            return KacheCli.EXIT_BAD_CONFIG;
        }
        List<String> records = new ArrayList<>();
        CompletableFuture<BuildIdentity> identity = pull && !all && crates.workspace().isPresent()
                ? identityAhead(config, crates.workspace().get(), inv) : null;
        // A remote that stops answering is given up for the rest of this sync (OutageGuard): the
        // remaining listings and transfers are each reported at once instead of each waiting out `timeout`.
        // The credential chain's warnings on the command's own stderr: in the kache server, its client's.
        try (ArtifactStore remote = new OutageGuard(RemoteStores.open(config, inv.env(),
                warning -> err.println("kache sync: warning: " + warning)).orElseThrow());
             LocalStore local = LocalStore.open(config.localStore(), config.localMaxSize())) {
            local.awaitStoresInFlight(StoreCommand.IN_FLIGHT_WAIT);
            SyncOptions options = SyncOptions.of(config);
            SyncPlanner planner = new SyncPlanner(remote, local, options.concurrency(), options.retry());
            if (pull && !all && crates.workspace().isPresent()) {
                Optional<SyncPlanner> chosen = chooseByRecord(planner, crates, identity, remote, notes, records,
                        config.remoteDeadline());
                if (chosen.isPresent()) {
                    planner = chosen.get();
                } else if (crates.pull().isEmpty()) {
                    err.println("kache sync: no Cargo.lock and no build record for this workspace, so nothing says"
                            + " what to pull; pass --all to pull every entry in the remote");
                    return KacheCli.EXIT_BAD_CONFIG;
                }
            }
            List<BuildRecord> toWrite = new ArrayList<>();
            if (push && crates.workspace().isPresent() && !config.remoteReadonly()) {
                // One record per profile and kind of build (build, check, clippy) among the newest build's calls.
                for (BuildRecord r : JournalRecords.fromJournal(local, crates.workspace().get(), inv.env())) {
                    // The entries of the previous record this build did not replace (it recompiled only
                    // what changed): they are part of this record, and pushed where the remote lacks them.
                    toWrite.add(dryRun ? r : PreviousRecords.withPrevious(remote, r, local,
                            crates.workspace().get(), records::add));
                }
                if (!toWrite.isEmpty()) {
                    // The entries the build used reach the remote with its record, dependencies included:
                    // those keys, not every local entry of their crates (other projects', other builds').
                    Set<ArtifactKey> used = new java.util.LinkedHashSet<>();
                    toWrite.forEach(r -> used.addAll(r.entries()));
                    planner = planner.pushingAlso(used);
                } else {
                    notes.add("no build of this workspace in the local journal: no build record to write");
                }
            }
            SyncReport report = new SyncReport(out, err, notes);
            if (dryRun) {
                SyncPlan plan = planner.plan(crates, pull, push);
                toWrite.forEach(r -> records.add("would write " + r.identity().exactSlot() + " and "
                        + r.identity().lineSlot() + " (" + r.identity().kind() + ", " + r.identity().profile() + "): "
                        + r.entries().size() + " entries of this build, and those of the previous record it did not"
                        + " replace"));
                if (!json) {
                    records.forEach(r -> err.println("kache sync: build record: " + r));
                }
                out.print(json ? SyncJson.plan(plan, notes, records) : report.plan(plan));
                return exit(plan.listingFailures().isEmpty());
            }
            // Only a terminal gets the redrawn progress line; pipes and captured streams get plain lines.
            SyncListener progress = json ? SyncListener.NONE : SyncProgress.create(err, inv.stderrIsTerminal());
            report.notes();
            SyncResult result = new SyncExecutor(remote, local, options).execute(planner, crates, pull, push, progress);
            List<RecordWriter.Pushed> pushed = new ArrayList<>();
            for (BuildRecord r : toWrite) {
                RecordWriter.Pushed p = RecordWriter.afterPush(remote, r, result, options.concurrency());
                records.add(p.note() + (toWrite.size() > 1 ? " (" + r.identity().kind() + ", "
                        + r.identity().profile() + ")" : ""));
                pushed.add(p);
            }
            boolean recordWritten = pushed.stream().anyMatch(p -> !p.slots().isEmpty());
            if (result.refusal(Direction.PUSH).isEmpty()
                    && (recordWritten || result.count(Direction.PUSH, TransferOutcome.Status.DONE) > 0)) {
                // The remote took an upload: a refusal the uploader recorded earlier (read-only credentials
                // since given write access) no longer holds, and stats and doctor stop saying it.
                local.remoteHealth(RemoteDestination.of(config.remoteSettings().get())).writesAccepted();
            }
            if (!json) {
                records.forEach(r -> err.println("kache sync: build record: " + r));
            }
            Set<Direction> ran = EnumSet.noneOf(Direction.class);
            if (pull) {
                ran.add(Direction.PULL);
            }
            if (push) {
                ran.add(Direction.PUSH);
            }
            // A record the remote did not take leaves the push incomplete, as a failed entry does.
            boolean complete = result.complete() && pushed.stream().noneMatch(RecordWriter.Pushed::failed);
            out.print(json ? SyncJson.result(result, complete, notes, records)
                    : report.summary(result, ran, Duration.ofNanos(System.nanoTime() - begin)));
            return exit(complete);
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

    /**
     * This build's identity, worked out on another thread while the remote opens: the toolchain's
     * banner and two {@code cargo metadata} runs take about as long as an S3 client's start, and
     * before this the pull waited for one after the other.
     */
    private CompletableFuture<BuildIdentity> identityAhead(KacheConfig config, ProjectCrates.Workspace ws, Invocation inv) {
        String profileName = release ? "release" : profile == null ? "dev" : profile;
        FeatureRequest requested = new FeatureRequest(features, allFeatures, noDefaultFeatures);
        return CompletableFuture.supplyAsync(() -> {
            try (LocalStore memos = LocalStore.open(config.localStore(), config.localMaxSize())) {
                return BuildIdentities.identityHere(ws, memos, inv.env(), Optional.ofNullable(target),
                        BuildIdentities.profileDir(profileName), requested);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * The planner that pulls the entries of this build's record, or empty when there is no usable
     * record (the listing rule then applies). Entries of crates outside the project's are left out.
     */
    private Optional<SyncPlanner> chooseByRecord(SyncPlanner planner, ProjectCrates crates,
                                                 CompletableFuture<BuildIdentity> identity, ArtifactStore remote,
                                                 List<String> notes, List<String> records, Duration remoteDeadline) {
        BuildIdentity id;
        try {
            id = identity.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() instanceof UncheckedIOException io ? io.getCause() : e.getCause();
            notes.add("no build record read: " + cause.getMessage());
            return Optional.empty();
        }
        List<String> kinds = kind.equals("all")
                ? List.of(BuildIdentity.BUILD, BuildIdentity.CHECK, BuildIdentity.CLIPPY) : List.of(kind);
        Set<ArtifactKey> chosen = new java.util.LinkedHashSet<>();
        for (String k : kinds) {
            RecordChoice choice = RecordChoice.choose(remote, id.withKind(k), remoteDeadline);
            records.addAll(choice.notes());
            choice.record().ifPresent(r -> chosen.addAll(r.entries()));
        }
        if (chosen.isEmpty()) {
            return Optional.empty();
        }
        Set<ArtifactKey> keys = new HashSet<>();
        int foreign = 0;
        for (ArtifactKey k : chosen) {
            if (crates.pull().map(p -> p.contains(k.crateName())).orElse(true)) {
                keys.add(k);
            } else {
                foreign++;
            }
        }
        if (foreign > 0) {
            records.add(foreign + " entries of the record are of crates this project does not use: not pulled");
        }
        return Optional.of(planner.pullingOnly(keys));
    }

    private int exit(boolean complete) {
        return complete || allowPartial ? 0 : EXIT_INCOMPLETE;
    }
}
