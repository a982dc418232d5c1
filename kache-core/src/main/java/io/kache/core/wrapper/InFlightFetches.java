package io.kache.core.wrapper;

import io.kache.api.ArtifactKey;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The entries being fetched from the remote for the calls of one owner: the kache server's
 * prefetcher and its calls' read-throughs claim an entry before they GET it, so an entry is fetched
 * once whoever asks, and whoever comes second waits for the first. Every claim made is settled,
 * whatever happens to its fetch.
 */
final class InFlightFetches {

    /**
     * A claim on one entry's fetch.
     *
     * @param key the entry
     * @param done completes with whether the entry is now in the local store
     * @param mine whether this caller made the claim, so must fetch and {@link #settle} it; otherwise
     *     another fetch is in flight and {@code done} is to be waited for
     */
    record Claim(ArtifactKey key, CompletableFuture<Boolean> done, boolean mine) {
    }

    private final ConcurrentHashMap<ArtifactKey, CompletableFuture<Boolean>> inFlight = new ConcurrentHashMap<>();

    /** Claims the fetch of {@code key}, or joins the one in flight. */
    Claim claim(ArtifactKey key) {
        CompletableFuture<Boolean> fresh = new CompletableFuture<>();
        CompletableFuture<Boolean> known = inFlight.putIfAbsent(key, fresh);
        return known == null ? new Claim(key, fresh, true) : new Claim(key, known, false);
    }

    /** Settles a claim this caller made; settling again changes nothing. */
    void settle(Claim claim, boolean fetched) {
        inFlight.remove(claim.key(), claim.done());
        claim.done().complete(fetched);
    }

    /** The fetches in flight of {@code crate}'s entries: what a call of that crate may wait for. */
    List<CompletableFuture<Boolean>> ofCrate(String crate) {
        return inFlight.entrySet().stream().filter(e -> e.getKey().crateName().equals(crate))
                .map(java.util.Map.Entry::getValue).toList();
    }

    /** Whether {@code key} is being fetched now. */
    boolean inFlight(ArtifactKey key) {
        return inFlight.containsKey(key);
    }
}
