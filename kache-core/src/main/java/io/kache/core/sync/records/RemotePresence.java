package io.kache.core.sync.records;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactStore;
import io.kache.api.StoreException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Which entries a remote is known to have, for a record that must name only those: the entries
 * this writer saw reach the remote or saw in its listing, and of the others those a HEAD
 * ({@link ArtifactStore#contains}) finds there. An entry whose HEAD fails is left out: a record only chooses, and a missing entry
 * costs a miss, but a record naming entries nobody has costs every fresh runner their GETs.
 */
public final class RemotePresence {

    private RemotePresence() {
    }

    /**
     * The entries of {@code entries} (in their order) that are in {@code known} or that the remote
     * has, asking it {@code concurrency} at a time.
     */
    public static Set<ArtifactKey> filter(ArtifactStore remote, Set<ArtifactKey> entries, Set<ArtifactKey> known,
                                          int concurrency) {
        List<ArtifactKey> ask = entries.stream().filter(k -> !known.contains(k)).toList();
        Set<ArtifactKey> found = java.util.concurrent.ConcurrentHashMap.newKeySet();
        if (!ask.isEmpty()) {
            ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(concurrency, ask.size())), r -> {
                Thread t = new Thread(r, "kache-record-head");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<?>> heads = new ArrayList<>();
                for (ArtifactKey k : ask) {
                    heads.add(pool.submit(() -> {
                        try {
                            if (remote.contains(k)) {
                                found.add(k);
                            }
                        } catch (StoreException | RuntimeException e) {
                            // Not known to be there: left out.
                        }
                    }));
                }
                for (Future<?> f : heads) {
                    try {
                        f.get();
                    } catch (ExecutionException e) {
                        // Caught inside; nothing to add.
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                pool.shutdownNow();
            }
        }
        Set<ArtifactKey> present = new LinkedHashSet<>();
        for (ArtifactKey k : entries) {
            if (known.contains(k) || found.contains(k)) {
                present.add(k);
            }
        }
        return present;
    }
}
