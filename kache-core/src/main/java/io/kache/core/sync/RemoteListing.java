package io.kache.core.sync;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactStore;
import io.kache.api.CorruptedEntryException;
import io.kache.api.StoreException;
import io.kache.core.remote.Attempts;
import io.kache.core.remote.RetryPolicy;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The remote's keys of some crates, listed with one LIST (paged) per crate, several crates at
 * once, each retried under the policy. A crate whose listing failed is remembered with its error.
 * Each crate's keys are also handed on as soon as they are listed, so that its transfers can start
 * while other crates are still being listed.
 */
final class RemoteListing {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteListing.class);

    private final Map<String, Set<ArtifactKey>> keys;
    private final Map<String, String> failures;

    private RemoteListing(Map<String, Set<ArtifactKey>> keys, Map<String, String> failures) {
        this.keys = keys;
        this.failures = new TreeMap<>(failures);
    }

    /**
     * Lists each of {@code crates}, up to {@code concurrency} at once, handing each crate's keys
     * to {@code onListed} (from a listing thread) as soon as its listing is complete.
     */
    static RemoteListing ofCrates(ArtifactStore remote, Collection<String> crates, int concurrency,
                                  RetryPolicy retry, BiConsumer<String, Set<ArtifactKey>> onListed) {
        Map<String, Set<ArtifactKey>> keys = new ConcurrentHashMap<>();
        Map<String, String> failures = new ConcurrentHashMap<>();
        if (crates.isEmpty()) {
            return new RemoteListing(keys, failures);
        }
        // A refusal (access denied, no such bucket) holds for every crate: report it once, not per crate.
        AtomicBoolean refused = new AtomicBoolean();
        AtomicInteger notListed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(concurrency, crates.size()),
                SyncThreads.named("kache-sync-list"));
        try {
            List<Future<?>> running = new ArrayList<>();
            for (String crate : crates) {
                running.add(pool.submit(() -> {
                    if (refused.get()) {
                        notListed.incrementAndGet();
                        failures.put(crate, "");
                        return;
                    }
                    Set<ArtifactKey> listed;
                    try {
                        listed = list(remote, crate, retry);
                    } catch (StoreException e) {
                        if (!e.isRetryable() && !(e instanceof CorruptedEntryException) && refused.getAndSet(true)) {
                            notListed.incrementAndGet();
                            failures.put(crate, "");
                        } else {
                            failures.put(crate, "listing crate " + crate + " failed: " + e.getMessage());
                        }
                        return;
                    }
                    keys.put(crate, listed);
                    onListed.accept(crate, listed);
                }));
            }
            for (Future<?> f : running) {
                await(f);
            }
        } finally {
            pool.shutdownNow();
        }
        if (notListed.get() > 0) {
            failures.put("~", notListed.get() + " more crates were not listed after the remote refused");
        }
        return new RemoteListing(keys, failures);
    }

    /** Lists every crate under the prefix with one paged LIST, then hands each crate's keys to {@code onListed}. */
    static RemoteListing ofEverything(ArtifactStore remote, RetryPolicy retry,
                                      BiConsumer<String, Set<ArtifactKey>> onListed) {
        Map<String, Set<ArtifactKey>> byCrate;
        try {
            Set<ArtifactKey> all = new Attempts(retry, RemoteListing::log).run(() -> collect(remote.listAll()));
            byCrate = all.stream().collect(Collectors.groupingBy(ArtifactKey::crateName, Collectors.toSet()));
        } catch (StoreException e) {
            return new RemoteListing(Map.of(), Map.of("*", "listing the remote failed: " + e.getMessage()));
        }
        byCrate.forEach(onListed);
        return new RemoteListing(byCrate, Map.of());
    }

    private static Set<ArtifactKey> list(ArtifactStore remote, String crate, RetryPolicy retry) throws StoreException {
        return new Attempts(retry, RemoteListing::log).run(() -> collect(remote.list(crate)));
    }

    private static Set<ArtifactKey> collect(Stream<ArtifactKey> listing) throws StoreException {
        try (listing) {
            return listing.collect(Collectors.toCollection(HashSet::new));
        } catch (UncheckedIOException e) {
            throw Attempts.unwrap(e);
        }
    }

    private static void log(int attempt, StoreException e, java.time.Duration wait) {
        LOG.debug("listing failed (attempt {}), retrying in {} ms: {}", attempt, wait.toMillis(), e.getMessage());
    }

    private static void await(Future<?> f) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("listing task failed", e.getCause());
        }
    }

    /** Whether {@code key} was listed. */
    boolean contains(ArtifactKey key) {
        Set<ArtifactKey> ofCrate = keys.get(key.crateName());
        return ofCrate != null && ofCrate.contains(key);
    }

    /** Whether the crate's listing failed (or the listing of everything did). */
    boolean failed(String crate) {
        return failures.containsKey(crate) || failures.containsKey("*");
    }

    /** One message per failed listing, sorted by crate; crates skipped after a refusal share one. */
    List<String> failures() {
        return failures.values().stream().filter(m -> !m.isEmpty()).toList();
    }
}
