package io.kache.core.sync.records;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactStore;
import io.kache.api.StoreException;
import io.kache.core.store.LocalStore;
import io.kache.core.sync.cargo.ProjectCrates;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The previous record of a build's identity in the remote, carried on into the record a push writes,
 * so that a build that recompiled a few crates still names every unchanged one ({@link RecordMerge}
 * tells which previous entries this build replaced).
 */
public final class PreviousRecords {

    private PreviousRecords() {
    }

    /**
     * {@code record} (a build's, from {@link JournalRecords#fromJournal}) carried on from the previous
     * record of its identity in {@code remote} (its exact slot, else its line's: one GET, two at most):
     * this build's entries plus the previous record's that this build did not replace ({@link RecordMerge}),
     * so a build that recompiled one member still names every unchanged crate. What an entry is (its unit)
     * is read from {@code local}. Without a previous record, or when it cannot be read, {@code record}
     * itself. Never throws.
     *
     * @param ws the workspace: a first record carries on another kind's entries it never journaled
     *     ({@link #fromOtherKinds}), and which are members' tells a clippy's apart
     * @param notes told one line when a previous record was carried on
     */
    public static BuildRecord withPrevious(ArtifactStore remote, BuildRecord record, LocalStore local,
                                           ProjectCrates.Workspace ws, java.util.function.Consumer<String> notes) {
        Optional<BuildRecord> previous;
        try {
            previous = previous(remote, record.identity());
            if (previous.isEmpty()) {
                previous = fromOtherKinds(remote, record.identity(), local, ws);
            }
        } catch (StoreException | RuntimeException e) {
            // The remote failed a read: this build's record stands alone, and nothing more is asked of
            // it (a push counts failures in a row and gives the remote up after three).
            return record;
        }
        if (previous.isEmpty()) {
            return record;
        }
        // A build's previous record may be of unknown kind (written before kinds counted, perhaps by a
        // check): its entries the store knows to be metadata only are of no use to a build.
        boolean build = record.identity().kind().equals(BuildIdentity.BUILD);
        LinkedHashSet<ArtifactKey> merged = RecordMerge.merge(List.copyOf(record.entries()),
                previous.get().entries(), k -> RecordMerge.Facts.lookup(local, k), f -> build && f.metadataOnly());
        int carried = (int) merged.stream().filter(k -> !record.entries().contains(k)).count();
        notes.accept("carried on " + carried + " of the previous record's " + previous.get().entries().size()
                + " entries (of build " + previous.get().build() + "), which this build did not replace");
        return new BuildRecord(record.created(), record.build(), record.identity(), merged);
    }

    /**
     * A first record's carry-on from the other kinds' records of its target directory. cargo finds fresh
     * what another kind of build compiled there the same way, so this one never journals it: the build
     * scripts and proc macros every kind compiles as a build does, and between a check and a clippy
     * (cargo-clippy runs a {@code cargo check}) every non-member. A member's unit under clippy goes
     * through clippy-driver, so a clippy takes no member's entry from the others, nor gives one. Empty
     * when no other kind's record has any of them.
     */
    private static Optional<BuildRecord> fromOtherKinds(ArtifactStore remote, BuildIdentity id, LocalStore local,
                                                        ProjectCrates.Workspace ws) throws StoreException {
        List<String> kinds = List.of(BuildIdentity.BUILD, BuildIdentity.CHECK, BuildIdentity.CLIPPY);
        if (!kinds.contains(id.kind())) {
            return Optional.empty();
        }
        BuildRecord first = null;
        List<String> builds = new java.util.ArrayList<>();
        Set<ArtifactKey> kept = new LinkedHashSet<>();
        for (String other : kinds) {
            if (other.equals(id.kind())) {
                continue;
            }
            boolean bothCheckLike = checkLike(id.kind()) && checkLike(other);
            boolean clippyInvolved = id.kind().equals(BuildIdentity.CLIPPY) || other.equals(BuildIdentity.CLIPPY);
            Optional<BuildRecord> found = previous(remote, id.withKind(other));
            if (found.isEmpty()) {
                continue;
            }
            int before = kept.size();
            found.get().entries().stream()
                    .filter(k -> bothCheckLike || hostTool(local, k))
                    .filter(k -> !clippyInvolved || !memberEntry(k, ws, local))
                    .forEach(kept::add);
            if (kept.size() > before) {
                first = first == null ? found.get() : first;
                builds.add(found.get().build());
            }
        }
        // The carry-on's note names every build it took entries from.
        return first == null ? Optional.empty()
                : Optional.of(new BuildRecord(first.created(), String.join(", ", builds), first.identity(), kept));
    }

    /** Whether builds of {@code kind} compile metadata only, as {@code cargo check} does. */
    private static boolean checkLike(String kind) {
        return kind.equals(BuildIdentity.CHECK) || kind.equals(BuildIdentity.CLIPPY);
    }

    /** Whether the store knows {@code key} for a build script or proc macro (at worst not, a download). */
    private static boolean hostTool(LocalStore local, ArtifactKey key) {
        return RecordMerge.Facts.lookup(local, key).map(RecordMerge.Facts::hostTool).orElse(false);
    }

    /** The record now in {@code id}'s exact slot, else its line's, if it is one of this identity (or line). */
    /**
     * @throws StoreException if the remote failed a read: the caller asks it nothing more (a
     *     {@link RuntimeException} of the remote's passes too)
     */
    private static Optional<BuildRecord> previous(ArtifactStore remote, BuildIdentity id) throws StoreException {
        for (String slot : List.of(id.exactSlot(), id.lineSlot())) {
            Optional<byte[]> bytes = remote.readRecord(slot, BuildRecord.MAX_BYTES);
            if (bytes.isEmpty()) {
                continue;
            }
            try {
                BuildRecord r = BuildRecord.decode(bytes.get());
                boolean fits = slot.equals(id.exactSlot()) ? id.sameExact(r.identity()) : id.sameLine(r.identity());
                if (fits && !r.entries().isEmpty()) {
                    return Optional.of(r);
                }
            } catch (BuildRecord.InvalidRecordException | RuntimeException e) {
                // Unreadable: the other slot may still hold one.
            }
        }
        return Optional.empty();
    }

    /**
     * Whether {@code key} is a member's entry: of a member's crate, or a member's build script (every
     * package's is {@code build_script_build}: its package tells, where the store has it; else not a
     * member's, at worst a download).
     */
    private static boolean memberEntry(ArtifactKey key, ProjectCrates.Workspace ws, LocalStore local) {
        if (!key.crateName().equals(ProjectCrates.BUILD_SCRIPT)) {
            return ws.members().contains(key.crateName());
        }
        try {
            Optional<String> pkg = local.lookup(key)
                    .map(m -> m.attributes().get(io.kache.core.store.EntryInfo.PACKAGE_ATTRIBUTE));
            return pkg.isPresent() && ws.memberPackages().stream().anyMatch(p -> p.name().equals(pkg.get()));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
