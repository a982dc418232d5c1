package io.kache.core.wrapper;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactStore;
import io.kache.api.StoreException;
import io.kache.core.journal.BuildDigests;
import io.kache.core.journal.WorkspaceSide;
import io.kache.core.remote.Attempts;
import io.kache.core.remote.DeadlineExceededException;
import io.kache.core.remote.RemoteDestination;
import io.kache.core.remote.EntryTransfer;
import io.kache.core.remote.LocalImportException;
import io.kache.core.remote.RetryPolicy;
import io.kache.core.store.ImportBudget;
import io.kache.core.store.LocalStore;
import io.kache.core.store.RemoteHealth;
import io.kache.core.sync.cargo.ProjectCrates;
import io.kache.core.sync.records.BuildIdentity;
import io.kache.core.sync.records.BuildIdentities;
import io.kache.core.sync.records.RecordChoice;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kache server's prefetch for a fresh runner that never runs {@code kache sync}: at a build's
 * first local miss, it reads that build's record from the remote ({@link RecordChoice#choose}, as
 * {@code sync --pull} does) and fetches the record's entries {@code s3_concurrency} at a time, ahead
 * of cargo, through the one transfer path ({@link EntryTransfer}), imported so they are ready to
 * hit. A call of a crate whose entry is in flight waits for it ({@link #await}) instead of asking the
 * remote itself; fetches are claimed in {@link InFlightFetches}, shared with the calls'
 * read-throughs, so no entry is fetched twice. The fetches go in the record's order, except that a
 * waiting call's crate goes first ({@link FetchQueue}): cargo's order is not the record's.
 *
 * <p>A record only chooses: entries are fetched by key and verified like any other, so a stale,
 * foreign or hostile record costs at most the GETs of what it names, and a prefetch gives up after
 * {@link #FRUITLESS_IN_A_ROW} fetches in a row found nothing. A prefetch keeps within its store's cap
 * ({@link ImportBudget}): past it each import would evict the entries it brought first, which the
 * build would then miss and download again; it stops there, says so once, and the entries it did not
 * bring stay the calls' read-through misses. A fetch given up under
 * {@code remote_deadline} (no answer or no byte for that long, or a pace too slow: see
 * {@link EntryTransfer}) stops the prefetch and silences the remote for
 * the build ({@link io.kache.core.store.RemoteHealth}), as it does a call's read-through: the
 * fetches not started are settled at once, so no call waits for them. Owned by the server and closed with it:
 * closing stops every prefetch and settles every claim, so no call waits for a fetch that will not
 * come. The JVM wrapper (one call per JVM) does not prefetch.
 */
public final class BuildPrefetcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BuildPrefetcher.class);
    private static final long LOADED = System.nanoTime();
    /** A prefetch stops after this many fetches in a row moved nothing: its record is stale or hostile. */
    static final int FRUITLESS_IN_A_ROW = 16;
    /** The builds remembered, so that each is prefetched once; a server serves a few at a time. */
    private static final int BUILDS_REMEMBERED = 64;

    /** What a build's prefetch reads; asked on the prefetch's own thread, never on a call's. */
    interface Source {
        /** The remote, waited for while it opens; empty when none applies. */
        Optional<ArtifactStore> remote() throws StoreException;

        /** The build's identity, or empty when its workspace cannot be told. */
        Optional<BuildIdentity> identity() throws IOException;

        /** Where the remote's entries land: whose health a stalled fetch marks. */
        RemoteDestination destination();
    }

    /**
     * One build's prefetch.
     *
     * @param build the build's id ({@link io.kache.core.journal.BuildId})
     * @param source its remote and identity
     * @param storeRoot the local store to import into (opened and closed by the prefetch)
     * @param maxSize the store's size cap
     * @param concurrency fetches at once ({@code s3_concurrency})
     * @param remoteDeadline how long reading the record, or one fetch, may take ({@code remote_deadline})
     */
    record Job(String build, Source source, Path storeRoot, long maxSize, int concurrency, Duration remoteDeadline) {

        /**
         * The prefetch of the build {@code call} belongs to: its identity from what the call tells
         * (toolchain, target, profile, flags) and its workspace, found from the call's target
         * directory with {@code cargo metadata --no-deps}, as the write-back's record finds it.
         */
        static Job of(WrappedCall call, String toolchainBanner, String build) {
            Map<String, String> env = call.inv().env();
            WorkspaceSide side = WorkspaceSide.of(call.rustc().outDir(), call.rustc().target(),
                    BuildDigests.toolchain(toolchainBanner), BuildDigests.rustflags(env));
            return forCall(call, build, () -> {
                Path targetDir = Path.of(side.targetDir());
                Optional<ProjectCrates.Workspace> ws = call.remotes().prefetcher()
                        .flatMap(p -> p.startWorkspace(targetDir));
                if (ws.isEmpty()) {
                    ws = BuildIdentities.workspaceOf(targetDir, env);
                }
                return ws.isPresent() ? Optional.of(BuildIdentities.identityOf(side, ws.get(), env, build,
                        call.rustc().emitKinds()))
                        : Optional.empty();
            });
        }

        /**
         * The prefetch of the build {@code call} belongs to, started before the call's key is known
         * ({@link #startIfStoreEmpty}): the toolchain's banner is then asked on the prefetch's
         * thread, through the store's memo, as the call asks it.
         */
        static Job early(WrappedCall call, String build) {
            io.kache.core.rustc.ToolchainMemo memo = call.store().toolchainMemo();
            Map<String, String> env = call.inv().env();
            Path cwd = call.inv().cwd();
            Path rustc = call.rustc().rustc();
            return forCall(call, build, () -> {
                String banner = new io.kache.core.rustc.ToolchainIdentity(memo).banner(rustc, env, cwd);
                return of(call, banner, build).source().identity();
            });
        }

        /** What the prefetch needs of the build {@code call} belongs to: its remote, and how to tell its identity. */
        private static Job forCall(WrappedCall call, String build, IdentityLookup identity) {
            Source source = new Source() {
                @Override
                public Optional<ArtifactStore> remote() throws StoreException {
                    return call.remote();
                }

                @Override
                public Optional<BuildIdentity> identity() throws IOException {
                    return identity.identity();
                }

                @Override
                public RemoteDestination destination() {
                    return call.settings().remoteDestination().orElseThrow();
                }
            };
            WrapperSettings settings = call.settings();
            return new Job(build, source, settings.storeRoot(), settings.maxSize(), settings.s3Concurrency(),
                    settings.remoteDeadline());
        }

        /** How a job tells its build's identity (it may run cargo metadata or rustc -vV). */
        @FunctionalInterface
        private interface IdentityLookup {
            Optional<BuildIdentity> identity() throws IOException;
        }
    }

    private final InFlightFetches inFlight;
    /** Per build: completes once its plan is known (its entries claimed) or there is none. */
    private final Map<String, CompletableFuture<Void>> plans = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<Void>> eldest) {
            return size() > BUILDS_REMEMBERED;
        }
    };
    private final ExecutorService planners = Executors.newCachedThreadPool(daemon("kache-prefetch"));
    private final Set<ExecutorService> pools = ConcurrentHashMap.newKeySet();
    private final Set<InFlightFetches.Claim> unsettled = ConcurrentHashMap.newKeySet();
    /** Stores seen holding entries: their builds are prefetched from a miss on, never from their first call. */
    private final Set<Path> holdingEntries = ConcurrentHashMap.newKeySet();
    /** Per build being fetched: the fetches not started yet, which a waiting call moves to the front. */
    private final Map<String, FetchQueue> queues = new ConcurrentHashMap<>();
    private volatile boolean closed;
    /** The workspace being read, or read, at the server's start: for the first prefetch of its target directory. */
    private volatile CompletableFuture<Optional<ProjectCrates.Workspace>> startWorkspace;
    /** How long a prefetch waits for the start's workspace before reading its own. */
    static final Duration START_WORKSPACE_WAIT = Duration.ofSeconds(10);

    BuildPrefetcher(InFlightFetches inFlight) {
        this.inFlight = inFlight;
    }

    /**
     * Reads, in the background, the workspace cargo finds from the directory the server was started
     * in ({@code cargo metadata --no-deps}), for the first prefetch whose build writes to its target
     * directory: a fresh runner's first prefetch then need not wait for it. Called by the server's
     * start when its store holds no entry; used once (a later build may follow an edit of the
     * workspace), within {@link #START_WORKSPACE_WAIT}.
     */
    void readStartWorkspace(Map<String, String> env, Path cwd) {
        CompletableFuture<Optional<ProjectCrates.Workspace>> read = new CompletableFuture<>();
        startWorkspace = read;
        try {
            planners.execute(() -> {
                try {
                    read.complete(BuildIdentities.workspaceAt(cwd, env));
                } catch (IOException | RuntimeException e) {
                    read.complete(Optional.empty());
                }
            });
        } catch (RejectedExecutionException e) {
            read.complete(Optional.empty());
        }
    }

    /** The workspace read at the server's start, if it is {@code targetDir}'s and no prefetch asked for it yet. */
    Optional<ProjectCrates.Workspace> startWorkspace(Path targetDir) {
        CompletableFuture<Optional<ProjectCrates.Workspace>> read = startWorkspace;
        // Once: what a later build finds may have changed since the server started.
        startWorkspace = null;
        if (read == null) {
            return Optional.empty();
        }
        try {
            return read.get(START_WORKSPACE_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                    .filter(w -> w.targetDirectory().normalize().equals(targetDir.normalize()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException | TimeoutException e) {
            return Optional.empty();
        }
    }

    /** Whether a build's prefetch was started. */
    boolean anyStarted() {
        synchronized (plans) {
            return !plans.isEmpty();
        }
    }

    /** Starts {@code job}'s prefetch unless its build was prefetched already; returns at once. */
    void start(Job job) {
        CompletableFuture<Void> plan = new CompletableFuture<>();
        synchronized (plans) {
            if (closed || plans.containsKey(job.build())) {
                return;
            }
            plans.put(job.build(), plan);
        }
        try {
            planners.execute(() -> run(job, plan));
        } catch (RejectedExecutionException e) {
            plan.complete(null);
        }
    }

    /**
     * Starts the prefetch of {@code call}'s build at once, before its key is computed, when its
     * local store holds no entry at all (a fresh CI runner's): then every call of the build misses,
     * and its first miss would start the same prefetch only after the call's key, seconds into a
     * cold server on a loaded machine. A store with entries waits for a miss, as a warm build's
     * hits must not pay for anything remote. Returns at once.
     *
     * @return whether it started (or had started) a prefetch for the build
     */
    boolean startIfStoreEmpty(WrappedCall call) {
        if (call.settings().remote().isEmpty() || holdingEntries.contains(call.settings().storeRoot())) {
            return false;
        }
        if (!call.store().holdsNoEntry()) {
            // Remembered: a warm store's calls pay a map lookup here, not a directory read.
            holdingEntries.add(call.settings().storeRoot());
            return false;
        }
        if (call.store().remoteHealth(call.settings().remoteDestination().orElseThrow()).recentlyFailed()) {
            return false;
        }
        start(Job.early(call, io.kache.core.journal.BuildId.of(call.inv().descriptorOwner(), call.inv().env())));
        return true;
    }

    /**
     * Waits, at most {@code deadline}, for {@code build}'s plan and then for the fetches in flight of
     * {@code crate}'s entries, trying {@code lookup} as each one ends: a crate name may name several
     * entries (every build script is {@code build_script_build}), and a call needs only its own.
     *
     * @return what {@code lookup} found (tried once the fetches in flight are known, after each of them
     *     lands, and once more if the wait ends at its deadline); empty when the build is not being
     *     prefetched (then {@code lookup} is not tried) or its fetches did not bring the call's entry
     */
    <T> Optional<T> await(String build, String crate, Duration deadline, Supplier<Optional<T>> lookup) {
        CompletableFuture<Void> plan;
        synchronized (plans) {
            plan = plans.get(build);
        }
        if (plan == null) {
            return Optional.empty();
        }
        long begun = System.nanoTime();
        long end = begun + deadline.toNanos();
        try {
            plan.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            FetchQueue queue = queues.get(build);
            if (queue != null) {
                queue.promote(crate);
            }
            // Looked up first, once the fetches in flight are known: an entry that landed before is
            // no longer among them.
            List<CompletableFuture<Boolean>> pending = new ArrayList<>(inFlight.ofCrate(crate));
            while (true) {
                Optional<T> found = lookup.get();
                if (found.isPresent() || pending.isEmpty()) {
                    waited(crate, begun);
                    return found;
                }
                try {
                    CompletableFuture.anyOf(pending.toArray(new CompletableFuture<?>[0]))
                            .get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (ExecutionException e) {
                    LOG.debug("kache: a prefetch of {} failed: {}", crate, e.getCause().toString());
                }
                pending.removeIf(CompletableFuture::isDone);
            }
        } catch (TimeoutException e) {
            LOG.debug("kache: prefetch of {} not done within {} for {}", build, deadline, crate);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.debug("kache: prefetch wait failed: {}", e.getCause().toString());
        }
        waited(crate, begun);
        return lookup.get();
    }

    /**
     * Whether {@code build} is being prefetched and its plan (what its record names) is still not
     * known. After {@link #await} returned, that means the call waited its whole deadline for the
     * record: it gives the remote up and compiles, rather than wait a second deadline for its own GET.
     */
    boolean planPending(String build) {
        synchronized (plans) {
            CompletableFuture<Void> plan = plans.get(build);
            return plan != null && !plan.isDone();
        }
    }

    private static void waited(String crate, long begunNanos) {
        LOG.debug("kache: a call of {} waited for its prefetch {} ms to {} ms after the server's start", crate,
                sinceServerStart(begunNanos), sinceServerStart(System.nanoTime()));
    }

    private void run(Job job, CompletableFuture<Void> plan) {
        List<InFlightFetches.Claim> mine = new ArrayList<>();
        long started = System.nanoTime();
        LocalStore store = null;
        ExecutorService pool = null;
        try {
            // The workspace's identity (cargo metadata) while the remote finishes opening.
            CompletableFuture<Optional<BuildIdentity>> identity = new CompletableFuture<>();
            planners.execute(() -> {
                try {
                    identity.complete(job.source().identity());
                } catch (IOException | RuntimeException e) {
                    identity.completeExceptionally(e);
                }
            });
            Optional<ArtifactStore> remote = job.source().remote();
            if (remote.isEmpty() || closed) {
                return;
            }
            long opened = System.nanoTime();
            Optional<BuildIdentity> id = identityOf(identity);
            if (id.isEmpty() || closed) {
                LOG.info("kache: prefetch of build {}: its workspace is not known: nothing prefetched", job.build());
                return;
            }
            long identified = System.nanoTime();
            RecordChoice choice = RecordChoice.choose(remote.get(), id.get(), job.remoteDeadline());
            choice.notes().forEach(note -> LOG.info("kache: prefetch of build {}: {}", job.build(), note));
            // Where a fresh runner's first miss waits: shown on the server's stderr (kache __server by hand).
            LOG.info("kache: prefetch of build {}: started {} ms after the server's start, remote open after {} ms, identity"
                    + " after {} ms, record after {} ms", job.build(), sinceServerStart(started),
                    millis(started, opened), millis(started, identified), millis(started, System.nanoTime()));
            store = LocalStore.open(job.storeRoot(), job.maxSize());
            if (choice.unanswered()) {
                // Silent for a whole deadline: the build leaves the remote alone, as after a stalled
                // fetch, so its calls do not each wait for it again.
                store.remoteHealth(job.source().destination()).markFailed("the build's record was not read: "
                        + "the remote did not answer within " + job.remoteDeadline().toMillis() + " ms");
            }
            if (choice.record().isEmpty()) {
                return;
            }
            for (ArtifactKey key : choice.record().get().entries()) {
                if (closed) {
                    break;
                }
                if (store.contains(key)) {
                    continue;
                }
                InFlightFetches.Claim claim = inFlight.claim(key);
                if (claim.mine()) {
                    unsettled.add(claim);
                    mine.add(claim);
                }
            }
            FetchQueue queue = new FetchQueue(mine);
            queues.put(job.build(), queue);
            // The plan is known: a call that misses now waits for its crate's entries, first in line.
            plan.complete(null);
            pool = Executors.newFixedThreadPool(job.concurrency(), daemon("kache-prefetch-get"));
            pools.add(pool);
            ArtifactStore entries = remote.get();
            // Past the store's cap each import would evict this prefetch's first entries, which the
            // build then misses and downloads again: the prefetch stops where its budget ends.
            ImportBudget budget = ImportBudget.of(store);
            EntryTransfer transfer = new EntryTransfer(() -> Optional.of(entries), store,
                    Optional.of(job.remoteDeadline()), budget);
            Progress progress = new Progress(job.build(), store.remoteHealth(job.source().destination()), budget);
            FetchSlots slots = FetchSlots.forMachine(job.concurrency());
            for (int i = 0; i < job.concurrency(); i++) {
                pool.execute(() -> fetchWhileQueued(queue, slots, transfer, progress));
            }
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.HOURS);
            LOG.info("kache: prefetch of build {}: {} entries fetched or tried after {} ms", job.build(), mine.size(),
                    millis(started, System.nanoTime()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            LOG.info("kache: prefetch of build {} stopped: {}", job.build(), e.toString());
        } finally {
            plan.complete(null);
            queues.remove(job.build());
            if (pool != null) {
                pool.shutdownNow();
                awaitQuietly(pool);
                pools.remove(pool);
            }
            mine.forEach(this::settle);
            if (store != null) {
                RustcWrapper.closeQuietly(store);
            }
        }
    }

    private static Optional<BuildIdentity> identityOf(CompletableFuture<Optional<BuildIdentity>> identity)
            throws IOException, InterruptedException {
        try {
            return identity.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** One fetching thread: takes the queue's next fetch whenever a slot is free, until the queue is empty. */
    private void fetchWhileQueued(FetchQueue queue, FetchSlots slots, EntryTransfer transfer, Progress progress) {
        while (true) {
            try {
                slots.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            Optional<InFlightFetches.Claim> next = closed ? Optional.empty() : queue.next();
            if (next.isEmpty()) {
                slots.giveBack();
                return;
            }
            try {
                fetch(transfer, next.get(), progress);
            } finally {
                slots.fetchEnded();
            }
        }
    }

    private void fetch(EntryTransfer transfer, InFlightFetches.Claim claim, Progress progress) {
        boolean fetched = false;
        long begun = System.nanoTime();
        try {
            if (closed || progress.givenUp()) {
                return;
            }
            EntryTransfer.Result result = transfer.fetch(claim.key(),
                    new Attempts(RetryPolicy.DEFAULT, Attempts.Observer.NONE));
            if (result.outcome() == EntryTransfer.Outcome.NOT_KEPT) {
                progress.atCap();
            }
            fetched = result.outcome() == EntryTransfer.Outcome.MOVED
                    || result.outcome() == EntryTransfer.Outcome.PRESENT;
        } catch (DeadlineExceededException e) {
            progress.stalled(e);
        } catch (LocalImportException e) {
            progress.notTaken(e);
        } catch (IOException | RuntimeException e) {
            LOG.debug("kache: prefetch of {} failed: {}", claim.key(), e.toString());
        } finally {
            progress.ended(fetched);
            settle(claim, fetched);
            LOG.debug("kache: prefetch of {}: {} ms to {} ms after the server's start", claim.key(),
                    sinceServerStart(begun), sinceServerStart(System.nanoTime()));
        }
    }

    /**
     * How one build's fetches are going: given up after {@link #FRUITLESS_IN_A_ROW} in a row found
     * nothing, or at once when one did not end within its deadline, the local store could not take
     * an entry (a full disk: more fetches would only download what cannot be kept), or the entries
     * brought reached the store's cap ({@link ImportBudget}: more would evict them).
     */
    private static final class Progress {
        private final String build;
        private final RemoteHealth health;
        private final ImportBudget budget;
        private final AtomicInteger fruitless = new AtomicInteger();
        private final AtomicBoolean stalled = new AtomicBoolean();
        private final AtomicBoolean storeRefused = new AtomicBoolean();
        private final AtomicBoolean capSaid = new AtomicBoolean();

        Progress(String build, RemoteHealth health, ImportBudget budget) {
            this.build = build;
            this.health = health;
            this.budget = budget;
        }

        boolean givenUp() {
            return stalled.get() || storeRefused.get() || budget.reached() || fruitless.get() >= FRUITLESS_IN_A_ROW;
        }

        /** The entries brought reached the store's cap: said once; the rest stay the calls' read-through misses. */
        void atCap() {
            if (capSaid.compareAndSet(false, true)) {
                LOG.info("kache: prefetch of build {}: {}", build, budget.explanation());
            }
        }

        void ended(boolean fetched) {
            if (fetched) {
                fruitless.set(0);
            } else {
                fruitless.incrementAndGet();
            }
        }

        /**
         * A fetch was given up under its deadline: no answer, a stall or a pace too slow (one that keeps
         * receiving is not given up at the deadline); said once, and the build leaves the remote alone.
         */
        void stalled(DeadlineExceededException e) {
            if (stalled.compareAndSet(false, true)) {
                LOG.info("kache: prefetch of build {} stopped: {}", build, e.getMessage());
                health.markFailed("a prefetch was given up: " + e.getMessage());
            }
        }

        /** The local store could not take an entry: said once, and the prefetch stops; the remote is not to blame. */
        void notTaken(LocalImportException e) {
            if (storeRefused.compareAndSet(false, true)) {
                LOG.info("kache: prefetch of build {} stopped: {} fetched, but {}", build, e.key(), e.getMessage());
            }
        }
    }

    private void settle(InFlightFetches.Claim claim) {
        settle(claim, false);
    }

    private void settle(InFlightFetches.Claim claim, boolean fetched) {
        unsettled.remove(claim);
        inFlight.settle(claim, fetched);
    }

    /** Stops every prefetch; every claim is settled and every plan completed, so no call waits for them. */
    @Override
    public void close() {
        List<CompletableFuture<Void>> waiting;
        synchronized (plans) {
            closed = true;
            waiting = List.copyOf(plans.values());
        }
        planners.shutdownNow();
        pools.forEach(ExecutorService::shutdownNow);
        waiting.forEach(plan -> plan.complete(null));
        List.copyOf(unsettled).forEach(this::settle);
    }

    /**
     * How long after the server's start (when this class was loaded: the server makes its remotes,
     * and so its prefetcher, as it starts) the moment {@code nanos} of the nano clock was.
     */
    static long sinceServerStart(long nanos) {
        return millis(LOADED, nanos);
    }

    private static long millis(long fromNanos, long toNanos) {
        return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
    }

    private static void awaitQuietly(ExecutorService pool) {
        try {
            // The store closes after its transfers stopped writing to it.
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
