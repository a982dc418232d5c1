package io.kache.core.sync;

import io.kache.api.ArtifactStore;
import io.kache.api.CorruptedEntryException;
import io.kache.api.EntryRejectedException;
import io.kache.api.StoreAccessDeniedException;
import io.kache.api.StoreException;
import io.kache.api.StoreMisconfiguredException;
import io.kache.core.remote.Attempts;
import io.kache.core.remote.EntryTransfer;
import io.kache.core.remote.RetryPolicy;
import io.kache.core.store.ImportBudget;
import io.kache.core.store.LocalStore;
import io.kache.core.sync.cargo.ProjectCrates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Runs a {@link SyncPlan}: pulls first, then pushes, each with up to {@code concurrency}
 * transfers at once.
 *
 * <p>Every scheduled transfer runs to its end; one failing never cancels the others. Retryable
 * failures are retried under the {@link RetryPolicy}. An entry that vanished or appeared since the
 * plan is skipped, not failed. When the remote refuses a direction as a whole (access denied, a
 * missing bucket), that is reported once through {@link SyncListener#refused} and the remaining
 * transfers of that direction are skipped; an entry the remote rejects alone (a proxy's body-size
 * limit) fails that transfer only. The local store is never changed by a push.
 *
 * <p>Pulls keep within the local store's cap ({@link ImportBudget}): past it each import would evict
 * the entries this pull brought first, so once the next entry does not fit the pull stops, the pulls
 * left are skipped, and the result says so once ({@link SyncResult#stoppedAtCap}).
 */
public final class SyncExecutor {

    /** Why a pull was skipped once the pull reached the local store's cap; the result says it in full, once. */
    static final String AT_CAP = "skipped: the local store's cap is reached";

    private final ArtifactStore remote;
    private final LocalStore local;
    private final SyncOptions options;

    public SyncExecutor(ArtifactStore remote, LocalStore local, SyncOptions options) {
        this.remote = Objects.requireNonNull(remote, "remote");
        this.local = Objects.requireNonNull(local, "local");
        this.options = Objects.requireNonNull(options, "options");
    }

    /** Runs {@code plan}, telling {@code listener} as it goes. */
    public SyncResult execute(SyncPlan plan, SyncListener listener) {
        return run(listener, onPull -> {
            listener.planned(plan);
            plan.pulls().forEach(onPull);
            return plan;
        });
    }

    /**
     * Plans and runs a sync of {@code crates} in one go: each crate's pulls start as soon as its
     * listing returned, while other crates are still being listed; pushes follow the pulls, as in
     * {@link #execute(SyncPlan, SyncListener)}. {@code listener} learns the whole plan when the
     * listing is complete. A project of many crates gets its first entries after one LIST rather
     * than after all of them.
     *
     * @throws IOException if the local store's entries to push cannot be listed
     */
    public SyncResult execute(SyncPlanner planner, ProjectCrates crates, boolean pull, boolean push,
                              SyncListener listener) throws IOException {
        return run(listener, onPull -> {
            SyncPlan plan = planner.plan(crates, pull, push, onPull);
            listener.planned(plan);
            return plan;
        });
    }

    /**
     * Where a run's plan comes from: each pull is handed to {@code onPull}, which starts it, as
     * soon as it is known, and the listener is told the plan when it is complete.
     */
    @FunctionalInterface
    private interface Planning<E extends Exception> {
        SyncPlan plan(Consumer<Transfer> onPull) throws E;
    }

    /** Pulls as the planning hands them over, then the plan's pushes. */
    private <E extends Exception> SyncResult run(SyncListener listener, Planning<E> planning) throws E {
        long begin = System.nanoTime();
        Map<Direction, String> refusals = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(options.concurrency(), SyncThreads.named("kache-sync"));
        try {
            ImportBudget budget = ImportBudget.of(local);
            Run pulls = new Run(null, listener, refusals, budget);
            Map<Transfer, Future<TransferOutcome>> started = new ConcurrentHashMap<>();
            SyncPlan plan = planning.plan(t -> started.put(t, pool.submit(() -> pulls.one(t))));
            List<TransferOutcome> outcomes = new ArrayList<>();
            for (Transfer t : plan.pulls()) {
                Future<TransferOutcome> f = started.get(t);
                // Only an interrupted planning returns before every pull was handed over.
                outcomes.add(f == null ? TransferOutcome.failed(t, 0, "not started: interrupted") : pulls.await(f, t));
            }
            outcomes.addAll(pushes(pool, plan, listener, refusals));
            return new SyncResult(outcomes, plan.listingFailures(), refusals, Duration.ofNanos(System.nanoTime() - begin),
                    plan.listedInRemote(), budget.reached() ? Optional.of(budget.explanation()) : Optional.empty());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Runs the plan's pushes, each exported to a temporary pack in a directory of this run's own.
     * If that directory cannot be created, every push fails with the reason: the pulls already
     * done must still be reported.
     */
    private List<TransferOutcome> pushes(ExecutorService pool, SyncPlan plan, SyncListener listener,
                                         Map<Direction, String> refusals) {
        if (plan.pushes().isEmpty()) {
            return List.of();
        }
        Path temp;
        try {
            temp = options.tempDir().isPresent()
                    ? Files.createTempDirectory(options.tempDir().get(), "kache-sync-")
                    : Files.createTempDirectory("kache-sync-");
        } catch (IOException e) {
            String why = "no temporary directory for the pushed packs: " + e.getMessage();
            List<TransferOutcome> failed = new ArrayList<>();
            for (Transfer t : plan.pushes()) {
                TransferOutcome outcome = TransferOutcome.failed(t, 0, why);
                listener.finished(outcome);
                failed.add(outcome);
            }
            return failed;
        }
        try {
            return new Run(temp, listener, refusals, ImportBudget.UNLIMITED).all(pool, plan.pushes());
        } finally {
            deleteQuietly(temp);
        }
    }

    /** The state one execution shares between its transfer threads. */
    private final class Run {
        private final EntryTransfer transfer;
        /** Where pushed packs are staged; null for pulls. */
        private final Path staging;
        private final SyncListener listener;
        private final Map<Direction, String> refusals;
        private final ImportBudget budget;

        Run(Path staging, SyncListener listener, Map<Direction, String> refusals, ImportBudget budget) {
            this.staging = staging;
            this.listener = listener;
            this.refusals = refusals;
            this.budget = budget;
            this.transfer = new EntryTransfer(() -> Optional.of(remote), local, Optional.empty(), budget);
        }

        List<TransferOutcome> all(ExecutorService pool, List<Transfer> transfers) {
            List<Future<TransferOutcome>> running = new ArrayList<>();
            for (Transfer t : transfers) {
                running.add(pool.submit(() -> one(t)));
            }
            List<TransferOutcome> done = new ArrayList<>();
            for (int i = 0; i < running.size(); i++) {
                done.add(await(running.get(i), transfers.get(i)));
            }
            return done;
        }

        private TransferOutcome one(Transfer t) {
            TransferOutcome outcome = attempt(t);
            listener.finished(outcome);
            return outcome;
        }

        private TransferOutcome attempt(Transfer t) {
            if (refusals.containsKey(t.direction())) {
                return TransferOutcome.skipped(t, 0, "skipped: the remote refused this direction");
            }
            if (t.direction() == Direction.PULL && budget.reached()) {
                return TransferOutcome.skipped(t, 0, AT_CAP);
            }
            listener.started(t);
            Attempts attempts = new Attempts(options.retry(), (n, e, wait) -> listener.retrying(t, n, e, wait));
            try {
                if (t.direction() == Direction.PULL) {
                    EntryTransfer.Result r = transfer.fetch(t.key(), attempts);
                    return switch (r.outcome()) {
                        case MOVED -> TransferOutcome.done(t, r.bytes(), attempts.count());
                        // A build or another sync may have brought it in since the plan.
                        case PRESENT -> TransferOutcome.skipped(t, attempts.count(), "already in the local store");
                        case ABSENT -> TransferOutcome.skipped(t, attempts.count(), "no longer in the remote");
                        case NOT_KEPT -> TransferOutcome.skipped(t, attempts.count(), AT_CAP);
                    };
                }
                Path pack = Files.createTempFile(staging, t.key().crateName() + "-" + t.key().shortKey() + "-",
                        ".tar.zst");
                EntryTransfer.Result r = transfer.send(t.key(), options.compressionLevel(), pack, attempts);
                return r.outcome() == EntryTransfer.Outcome.MOVED ? TransferOutcome.done(t, r.bytes(), attempts.count())
                        : TransferOutcome.skipped(t, 0, "no longer in the local store");
            } catch (StoreAccessDeniedException | StoreMisconfiguredException e) {
                return refuse(t, attempts.count(), e);
            } catch (EntryRejectedException e) {
                // This entry's alone: the rest of the direction may go through, so it is no refusal.
                return TransferOutcome.failed(t, attempts.count(), e.getMessage());
            } catch (CorruptedEntryException e) {
                return TransferOutcome.failed(t, attempts.count(), e.getMessage());
            } catch (IOException | RuntimeException e) {
                return TransferOutcome.failed(t, attempts.count(), String.valueOf(e.getMessage()));
            }
        }

        /** Reports the first refusal of a direction; later ones (already in flight) fail quietly. */
        private TransferOutcome refuse(Transfer t, int attempts, StoreException e) {
            String explanation = Refusals.explain(t.direction(), e);
            if (refusals.putIfAbsent(t.direction(), explanation) == null) {
                listener.refused(t.direction(), explanation);
                return TransferOutcome.failed(t, attempts, explanation);
            }
            return TransferOutcome.skipped(t, attempts, "skipped: the remote refused this direction");
        }

        private TransferOutcome await(Future<TransferOutcome> f, Transfer t) {
            try {
                return f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return TransferOutcome.failed(t, 0, "interrupted");
            } catch (ExecutionException e) {
                return TransferOutcome.failed(t, 0, String.valueOf(e.getCause()));
            }
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // A temp file left behind in the sync's own temp dir; nothing depends on it.
            }
        }
    }
}
