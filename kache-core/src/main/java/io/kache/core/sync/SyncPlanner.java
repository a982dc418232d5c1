package io.kache.core.sync;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactStore;
import io.kache.core.remote.RetryPolicy;
import io.kache.core.store.EntryInfo;
import io.kache.core.store.LocalStore;
import io.kache.core.sync.cargo.ProjectCrates;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Decides what a sync moves: which remote entries of the project's crates the local store lacks
 * (pull), and which local entries of the workspace's members and of its last build the remote lacks
 * (push). Reads
 * only: one LIST per crate concerned (several at once), a stat per remote key, the manifests of
 * the local entries that may be pushed.
 */
public final class SyncPlanner {

    private static final Comparator<Transfer> ORDER = Comparator
            .comparing((Transfer t) -> t.key().crateName()).thenComparing(t -> t.key().cacheKey());

    private final ArtifactStore remote;
    private final LocalStore local;
    private final int concurrency;
    private final RetryPolicy retry;
    private final Optional<Set<ArtifactKey>> recordPulls;
    private final Set<ArtifactKey> recordPushes;

    /**
     * @param concurrency how many crates to list at once ({@code s3_concurrency})
     * @param retry how to retry a listing that failed with a retryable error
     */
    public SyncPlanner(ArtifactStore remote, LocalStore local, int concurrency, RetryPolicy retry) {
        this.remote = Objects.requireNonNull(remote, "remote");
        this.local = Objects.requireNonNull(local, "local");
        this.retry = Objects.requireNonNull(retry, "retry");
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1: " + concurrency);
        }
        this.concurrency = concurrency;
        this.recordPulls = Optional.empty();
        this.recordPushes = Set.of();
    }

    private SyncPlanner(SyncPlanner base, Optional<Set<ArtifactKey>> pulls, Set<ArtifactKey> pushes) {
        this.remote = base.remote;
        this.local = base.local;
        this.retry = base.retry;
        this.concurrency = base.concurrency;
        this.recordPulls = pulls.map(Set::copyOf);
        this.recordPushes = Set.copyOf(pushes);
    }

    /**
     * This planner pulling exactly {@code keys} (a build record's) instead of every listed entry of the
     * project's crates: no listing for the pull side, the keys the local store lacks are handed over at
     * once. Keys the remote no longer has are skipped when fetched, as vanished entries are.
     */
    public SyncPlanner pullingOnly(Set<ArtifactKey> keys) {
        return new SyncPlanner(this, Optional.of(keys), recordPushes);
    }

    /**
     * This planner pushing also exactly {@code keys} (the build record's: dependencies too) where the
     * local store has them. Only these keys: other local entries of the same crates may be another
     * project's, or another build's of the dependency.
     */
    public SyncPlanner pushingAlso(Set<ArtifactKey> keys) {
        return new SyncPlanner(this, recordPulls, keys);
    }

    /**
     * Plans a sync of {@code crates}. A crate whose listing fails after retries is left out of
     * both lists and reported in {@link SyncPlan#listingFailures()}.
     *
     * @param pull whether to plan pulls
     * @param push whether to plan pushes
     * @throws IOException if the local store cannot be read
     */
    public SyncPlan plan(ProjectCrates crates, boolean pull, boolean push) throws IOException {
        return plan(crates, pull, push, t -> { });
    }

    /**
     * Plans a sync of {@code crates} as {@link #plan(ProjectCrates, boolean, boolean)} does, and
     * hands each pull to {@code onPull} as soon as its crate's listing returned (from a listing
     * thread, possibly several at once), so that downloads start while other crates are still
     * being listed. The plan returned holds exactly the pulls handed over; pushes are decided only
     * once everything is listed.
     *
     * @param onPull must be thread-safe and quick
     * @throws IOException if the local store's entries to push cannot be listed
     */
    public SyncPlan plan(ProjectCrates crates, boolean pull, boolean push, Consumer<Transfer> onPull)
            throws IOException {
        List<EntryInfo> pushable = push ? localEntries(crates) : List.of();
        boolean listPulls = pull && recordPulls.isEmpty();
        Queue<Transfer> pulls = new ConcurrentLinkedQueue<>();
        BiConsumer<String, Set<ArtifactKey>> onListed = (crate, keys) -> {
            if (listPulls && crates.pull().map(w -> w.contains(crate)).orElse(true)) {
                for (Transfer t : keys.stream().filter(this::missingLocally).map(k -> new Transfer(Direction.PULL, k, -1))
                        .sorted(ORDER).toList()) {
                    // Handed over first: a pull in the plan has always been started.
                    onPull.accept(t);
                    pulls.add(t);
                }
            }
        };
        if (pull && recordPulls.isPresent()) {
            for (Transfer t : recordPulls.get().stream().filter(this::missingLocally)
                    .map(k -> new Transfer(Direction.PULL, k, -1)).sorted(ORDER).toList()) {
                onPull.accept(t);
                pulls.add(t);
            }
        }
        RemoteListing listing;
        if (listPulls && crates.pull().isEmpty()) {
            listing = RemoteListing.ofEverything(remote, retry, onListed);
        } else {
            Set<String> toList = new TreeSet<>();
            if (listPulls) {
                toList.addAll(crates.pull().orElseThrow());
            }
            // Only crates with something to push need listing for the push side.
            pushable.forEach(e -> toList.add(e.key().crateName()));
            listing = RemoteListing.ofCrates(remote, toList, concurrency, retry, onListed);
        }
        List<Transfer> pushes = new ArrayList<>();
        for (EntryInfo e : pushable) {
            if (!listing.failed(e.key().crateName()) && !listing.contains(e.key())) {
                pushes.add(new Transfer(Direction.PUSH, e.key(), e.size()));
            }
        }
        pushes.sort(ORDER);
        // What the listing saw needs no HEAD before the record names it; what it did not cover (a crate
        // not listed, or whose listing failed) is asked about then.
        Set<ArtifactKey> listedInRemote = recordPushes.stream().filter(listing::contains)
                .collect(java.util.stream.Collectors.toSet());
        return new SyncPlan(pulls.stream().sorted(ORDER).toList(), pushes, listing.failures(), crates.notes(),
                listedInRemote);
    }

    /**
     * A key the local store cannot be read for counts as missing: its pull then reports the local
     * failure, instead of one unreadable entry failing the whole listing.
     */
    private boolean missingLocally(ArtifactKey key) {
        try {
            return !local.contains(key);
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * The local entries a push may send: with every crate to push ({@code --all}, outside a
     * workspace) all of them; else the members' (their crates, of their packages) and the record's.
     */
    private List<EntryInfo> localEntries(ProjectCrates crates) throws IOException {
        if (crates.push().isEmpty()) {
            return local.list(Optional.empty());
        }
        Set<String> members = crates.push().get();
        Optional<Set<String>> packages = crates.pushPackages();
        Set<String> names = new TreeSet<>(members);
        recordPushes.forEach(k -> names.add(k.crateName()));
        List<EntryInfo> entries = new ArrayList<>();
        for (String crate : names) {
            for (EntryInfo e : local.list(Optional.of(crate))) {
                if (recordPushes.contains(e.key()) || members.contains(crate) && ofMembers(e, packages)) {
                    entries.add(e);
                }
            }
        }
        return entries;
    }

    /**
     * Whether a member crate's entry is a member's. An entry without its package (stored by an older
     * kache) counts by its crate name, except a build script's, which names every package's: it is
     * pushed only when the build record names it.
     */
    private static boolean ofMembers(EntryInfo e, Optional<Set<String>> packages) {
        if (packages.isEmpty()) {
            return true;
        }
        return e.packageName().map(packages.get()::contains)
                .orElse(!e.key().crateName().equals(ProjectCrates.BUILD_SCRIPT));
    }
}
