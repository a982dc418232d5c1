package io.kache.core.sync.records;

import io.kache.api.ArtifactStore;
import io.kache.api.CorruptedEntryException;
import io.kache.api.StoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a pull or a prefetch chose ({@link #choose}): the record used, if any, and one line per record
 * read, for the user.
 *
 * @param unanswered the remote did not answer a record's read within the deadline: a silent remote,
 *     which a build's prefetch then leaves alone, as it does one whose fetch stalls
 */
public record RecordChoice(Optional<BuildRecord> record, Optional<String> slot, List<String> notes,
                           boolean unanswered) {

    public RecordChoice {
        notes = List.copyOf(notes);
    }

    /**
     * Reads the record for {@code id}: the exact slot, else the workspace's line. A record that
     * cannot be read, is refused by {@link BuildRecord#decode} or was written for another identity
     * is ignored, and said so once. A remote that does not answer within {@code deadline} (the
     * build's {@code remote_deadline}) is not waited for: the pull lists instead.
     */
    public static RecordChoice choose(ArtifactStore remote, BuildIdentity id, Duration deadline) {
        List<String> notes = new ArrayList<>();
        boolean unanswered = false;
        // A check or a clippy reads its own slots, then those of builds, where only a record of unknown kind (written
        // before kinds counted) serves it; a build's own slots are those, so it reads two slots at most.
        List<String> slots = new ArrayList<>(List.of(id.exactSlot(), id.lineSlot()));
        BuildIdentity legacy = id.withKind(BuildIdentity.UNKNOWN);
        if (!id.exactSlot().equals(legacy.exactSlot())) {
            slots.addAll(List.of(legacy.exactSlot(), legacy.lineSlot()));
        }
        for (String slot : slots) {
            boolean exact = slot.equals(id.exactSlot()) || slot.equals(legacy.exactSlot());
            boolean own = slot.equals(id.exactSlot()) || slot.equals(id.lineSlot());
            Optional<byte[]> bytes;
            try {
                bytes = readWithin(remote, slot, deadline);
            } catch (java.util.concurrent.TimeoutException e) {
                notes.add("build record " + slot + " not read: the remote did not answer within " + deadline
                        + "; listing instead");
                unanswered = true;
                break;
            } catch (CorruptedEntryException e) {
                notes.add("build record " + slot + " ignored: " + e.getMessage());
                continue;
            } catch (StoreException e) {
                notes.add("build record " + slot + " could not be read (" + e.getMessage() + "); listing instead");
                break;
            }
            if (bytes.isEmpty()) {
                continue;
            }
            try {
                BuildRecord r = BuildRecord.decode(bytes.get());
                boolean fits = exact ? id.sameExact(r.identity()) : id.sameLine(r.identity());
                if (!own && !r.identity().kind().equals(BuildIdentity.UNKNOWN)) {
                    continue; // a build's record, in its own slot: not a check's
                }
                if (!fits) {
                    notes.add("build record " + slot + " ignored: it was written for another build identity");
                    continue;
                }
                if (r.entries().isEmpty()) {
                    // Chooses nothing: as if there were none (an older kache wrote one after a push that failed).
                    notes.add("build record " + slot + " ignored: it names no entries");
                    continue;
                }
                notes.add("build record used: " + slot + (exact ? "" : " (this workspace's newest build, another Cargo.lock)")
                        + (own ? "" : " (written before kinds of build counted)")
                        + ", " + r.entries().size() + " entries, written " + java.time.Instant.ofEpochMilli(r.created()));
                return new RecordChoice(Optional.of(r), Optional.of(slot), notes, false);
            } catch (BuildRecord.InvalidRecordException e) {
                notes.add("build record " + slot + " ignored: " + e.getMessage());
            }
        }
        if (notes.isEmpty()) {
            notes.add("no build record for this workspace, toolchain, target, profile, rustflags, features and kind:"
                    + " listing the crates of Cargo.lock");
        }
        return new RecordChoice(Optional.empty(), Optional.empty(), notes, unanswered);
    }

    private static Optional<byte[]> readWithin(ArtifactStore remote, String slot, Duration deadline)
            throws StoreException, java.util.concurrent.TimeoutException {
        java.util.concurrent.FutureTask<Optional<byte[]>> read = new java.util.concurrent.FutureTask<>(
                () -> remote.readRecord(slot, BuildRecord.MAX_BYTES));
        Thread t = new Thread(read, "kache-record-read");
        t.setDaemon(true);
        t.start();
        try {
            return read.get(deadline.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            t.interrupt();
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.util.concurrent.TimeoutException("interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof StoreException s) {
                throw s;
            }
            throw new IllegalStateException("reading build record " + slot + " failed", e.getCause());
        }
    }
}
