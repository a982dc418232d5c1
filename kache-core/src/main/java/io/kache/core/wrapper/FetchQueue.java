package io.kache.core.wrapper;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The fetches one build's prefetch has yet to start, in its record's order, except that the entries
 * of a crate a call is waiting for go first ({@link #promote}). The record's order is by crate name,
 * not cargo's: without promotion a fresh runner's first calls (build scripts, proc-macros, the crates
 * everything else depends on) waited behind most of the record. Thread-safe.
 */
final class FetchQueue {

    private final Deque<InFlightFetches.Claim> urgent = new ArrayDeque<>();
    private final List<InFlightFetches.Claim> pending = new ArrayList<>();
    private int next;

    FetchQueue(List<InFlightFetches.Claim> claims) {
        pending.addAll(claims);
    }

    /** The next fetch to start, or empty when every fetch has started. */
    synchronized Optional<InFlightFetches.Claim> next() {
        if (!urgent.isEmpty()) {
            return Optional.of(urgent.poll());
        }
        while (next < pending.size()) {
            InFlightFetches.Claim c = pending.set(next++, null);
            if (c != null) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** Moves the fetches of {@code crate}'s entries that have not started to the front; returns how many. */
    synchronized int promote(String crate) {
        int moved = 0;
        for (int i = next; i < pending.size(); i++) {
            InFlightFetches.Claim c = pending.get(i);
            if (c != null && c.key().crateName().equals(crate)) {
                pending.set(i, null);
                urgent.add(c);
                moved++;
            }
        }
        return moved;
    }
}
