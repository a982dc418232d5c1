package io.kache.core.sync.records;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactStore;
import io.kache.api.StoreException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes build records to the remote: to the exact slot and the workspace's line, never a record that
 * names no entries, and after a push only with entries the remote is known to have.
 */
public final class RecordWriter {

    private RecordWriter() {
    }

    /**
     * Writes {@code record} to its exact slot and its workspace's line. A record naming no entries is
     * never written: it would choose nothing, and replace a record that chooses something.
     *
     * @return the slots written; none for a record without entries
     * @throws StoreException the remote's refusal or failure (the line slot is then not written)
     */
    public static List<String> write(ArtifactStore remote, BuildRecord record) throws StoreException {
        if (record.entries().isEmpty()) {
            return List.of();
        }
        byte[] bytes = record.encode();
        remote.writeRecord(record.identity().exactSlot(), bytes);
        remote.writeRecord(record.identity().lineSlot(), bytes);
        return List.of(record.identity().exactSlot(), record.identity().lineSlot());
    }

    /**
     * What became of a pushed build's record.
     *
     * @param slots the slots written; none when it was not written
     * @param note one line for the user: written where with how many entries, or why not
     * @param failed whether the remote failed to take it: the push is then incomplete
     */
    public record Pushed(List<String> slots, String note, boolean failed) {
        public Pushed {
            slots = List.copyOf(slots);
        }
    }

    /**
     * Writes the record of a build whose entries {@code result}'s push sent, naming only entries the
     * remote is known to have: those pushed now, those the push's listing found there, and of the others
     * (not in the local store, or of a crate the listing did not cover) those a HEAD finds there,
     * {@code concurrency} at a time. An entry
     * whose push failed or was skipped is left out. A record left with no entry is not written: it would
     * choose nothing, and replace a record that chooses something. Never throws.
     */
    public static Pushed afterPush(ArtifactStore remote, BuildRecord record, io.kache.core.sync.SyncResult result,
                                   int concurrency) {
        if (result.refusal(io.kache.core.sync.Direction.PUSH).isPresent()) {
            return new Pushed(List.of(), "not written: the remote refused the push", false);
        }
        Set<ArtifactKey> pushed = new java.util.HashSet<>();
        Set<ArtifactKey> notThere = new java.util.HashSet<>();
        for (io.kache.core.sync.TransferOutcome o : result.outcomes()) {
            if (o.transfer().direction() == io.kache.core.sync.Direction.PUSH) {
                (o.status() == io.kache.core.sync.TransferOutcome.Status.DONE ? pushed : notThere)
                        .add(o.transfer().key());
            }
        }
        Set<ArtifactKey> candidates = new LinkedHashSet<>(record.entries());
        candidates.removeAll(notThere);
        Set<ArtifactKey> known = new java.util.HashSet<>(pushed);
        known.addAll(result.listedInRemote());
        Set<ArtifactKey> kept = RemotePresence.filter(remote, candidates, known, concurrency);
        if (kept.isEmpty()) {
            return new Pushed(List.of(), "not written: none of the build's " + record.entries().size()
                    + " entries is known to be in the remote", false);
        }
        try {
            List<String> slots = write(remote, new BuildRecord(record.created(), record.build(), record.identity(), kept));
            return new Pushed(slots, "written " + String.join(" and ", slots) + ": " + kept.size() + " entries", false);
        } catch (StoreException | RuntimeException e) {
            return new Pushed(List.of(), "not written: " + e.getMessage(), true);
        }
    }
}
