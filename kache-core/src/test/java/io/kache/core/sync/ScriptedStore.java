package io.kache.core.sync;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactSource;
import io.kache.api.ArtifactStore;
import io.kache.api.EntryReader;
import io.kache.api.StoreException;
import io.kache.testkit.InMemoryArtifactStore;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A remote for sync unit tests: an in-memory store that records its calls, fails the next calls
 * of an operation as scripted, rejects the loads or stores of chosen keys, hides keys (as if deleted), and
 * tracks how many loads overlap.
 */
final class ScriptedStore implements ArtifactStore {

    final InMemoryArtifactStore backing = new InMemoryArtifactStore();
    final List<String> listed = new CopyOnWriteArrayList<>();
    final AtomicInteger listAllCalls = new AtomicInteger();
    final AtomicInteger storeCalls = new AtomicInteger();
    final AtomicInteger loadCalls = new AtomicInteger();
    final Set<ArtifactKey> hidden = ConcurrentHashMap.newKeySet();
    private final Map<String, Deque<StoreException>> failures = new ConcurrentHashMap<>();
    private final Map<ArtifactKey, StoreException> rejected = new ConcurrentHashMap<>();
    private final Map<ArtifactKey, StoreException> rejectedLoads = new ConcurrentHashMap<>();
    private final AtomicInteger loading = new AtomicInteger();
    final AtomicInteger maxLoading = new AtomicInteger();
    volatile Runnable duringLoad = () -> { };
    /** Runs inside each {@code list(crate)} call, before it answers. */
    volatile Consumer<String> duringList = crate -> { };

    /** The next calls of {@code op} ({@code load}, {@code store}, {@code list}) throw these, in order. */
    synchronized void failNext(String op, StoreException... errors) {
        Deque<StoreException> q = failures.computeIfAbsent(op, k -> new ArrayDeque<>());
        q.addAll(List.of(errors));
    }

    /** Every {@code store} of {@code key} throws {@code error}; other keys are stored. */
    void rejectStoresOf(ArtifactKey key, StoreException error) {
        rejected.put(key, error);
    }

    /** Every {@code load} of {@code key} throws {@code error}; other keys are loaded. */
    void rejectLoadsOf(ArtifactKey key, StoreException error) {
        rejectedLoads.put(key, error);
    }

    private synchronized void maybeFail(String op) throws StoreException {
        Deque<StoreException> q = failures.get(op);
        if (q != null && !q.isEmpty()) {
            throw q.poll();
        }
    }

    @Override
    public boolean load(ArtifactKey key, EntryReader reader) throws StoreException {
        loadCalls.incrementAndGet();
        int now = loading.incrementAndGet();
        maxLoading.accumulateAndGet(now, Math::max);
        try {
            duringLoad.run();
            maybeFail("load");
            StoreException rejection = rejectedLoads.get(key);
            if (rejection != null) {
                throw rejection;
            }
            return !hidden.contains(key) && backing.load(key, reader);
        } finally {
            loading.decrementAndGet();
        }
    }

    @Override
    public void store(ArtifactKey key, ArtifactSource source) throws StoreException {
        storeCalls.incrementAndGet();
        maybeFail("store");
        StoreException rejection = rejected.get(key);
        if (rejection != null) {
            throw rejection;
        }
        backing.store(key, source);
    }

    @Override
    public boolean contains(ArtifactKey key) {
        return !hidden.contains(key) && backing.contains(key);
    }

    @Override
    public Stream<ArtifactKey> list(String crateName) throws StoreException {
        listed.add(crateName);
        duringList.accept(crateName);
        maybeFail("list");
        return backing.list(crateName).filter(k -> !hidden.contains(k));
    }

    @Override
    public Stream<ArtifactKey> listAll() throws StoreException {
        listAllCalls.incrementAndGet();
        maybeFail("list");
        return backing.listAll().filter(k -> !hidden.contains(k));
    }

    @Override
    public void close() {
        backing.close();
    }
}
