package io.kache.core.wrapper;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fetches one build's prefetch has yet to start, in its record's order (the order the recorded
 * build used its entries), except that the entries of a crate a call is waiting for go first
 * ({@link #promote}): cargo's order on this runner is not quite the record's, and a call that waits
 * holds up everything after it. Waiting crates take turns, one entry each: every package's build
 * script is crate {@code build_script_build}, and its eight entries must not hold up the one entry
 * of the proc-macro that waits beside it. Thread-safe.
 */
final class FetchQueue {

    /** The waiting crates' fetches not started yet, by crate, in the order the crates were promoted. */
    private final Map<String, Deque<InFlightFetches.Claim>> urgent = new LinkedHashMap<>();
    private final List<InFlightFetches.Claim> pending = new ArrayList<>();
    private int next;

    FetchQueue(List<InFlightFetches.Claim> claims) {
        pending.addAll(claims);
    }

    /** The next fetch to start, or empty when every fetch has started. */
    synchronized Optional<InFlightFetches.Claim> next() {
        Iterator<Map.Entry<String, Deque<InFlightFetches.Claim>>> crates = urgent.entrySet().iterator();
        if (crates.hasNext()) {
            Map.Entry<String, Deque<InFlightFetches.Claim>> first = crates.next();
            InFlightFetches.Claim claim = first.getValue().poll();
            // The crate's turn is over: it goes to the back, or leaves when it has nothing left.
            crates.remove();
            if (!first.getValue().isEmpty()) {
                urgent.put(first.getKey(), first.getValue());
            }
            return Optional.of(claim);
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
                urgent.computeIfAbsent(crate, k -> new ArrayDeque<>()).add(c);
                moved++;
            }
        }
        return moved;
    }
}
