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
     * @param ws the workspace: a clippy's first record carries on the check's entries of non-members only
     * @param notes told one line when a previous record was carried on
     */
    public static BuildRecord withPrevious(ArtifactStore remote, BuildRecord record, LocalStore local,
                                           ProjectCrates.Workspace ws, java.util.function.Consumer<String> notes) {
        Optional<BuildRecord> previous = previous(remote, record.identity());
        if (previous.isEmpty() && record.identity().kind().equals(BuildIdentity.CLIPPY)) {
            // A clippy's first record after a check in the same target directory: cargo found the
            // non-members the check compiled fresh (only members run through clippy-driver), so the clippy
            // never journaled them. The check's record names them; its members' entries a clippy never uses.
            previous = previousOfKind(remote, record.identity(), BuildIdentity.CHECK, k -> !memberEntry(k, ws, local));
        }
        if (previous.isEmpty() && record.identity().kind().equals(BuildIdentity.CHECK)) {
            // A check's first record after builds in the same target directory: cargo found the build
            // scripts and proc macros the builds compiled fresh (a check compiles them as a build does),
            // so the check never journaled them. The build's record names them.
            previous = previousOfKind(remote, record.identity(), BuildIdentity.BUILD,
                    k -> RecordMerge.Facts.lookup(local, k).map(RecordMerge.Facts::hostTool).orElse(false));
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
     * The previous record of {@code id} as a build of {@code kind}, with only the entries {@code keep}
     * takes; empty when it has none of them.
     */
    private static Optional<BuildRecord> previousOfKind(ArtifactStore remote, BuildIdentity id, String kind,
                                                        java.util.function.Predicate<ArtifactKey> keep) {
        return previous(remote, id.withKind(kind)).map(r -> {
            Set<ArtifactKey> kept = new LinkedHashSet<>();
            r.entries().stream().filter(keep).forEach(kept::add);
            return new BuildRecord(r.created(), r.build(), r.identity(), kept);
        }).filter(r -> !r.entries().isEmpty());
    }

    /** The record now in {@code id}'s exact slot, else its line's, if it is one of this identity (or line). */
    private static Optional<BuildRecord> previous(ArtifactStore remote, BuildIdentity id) {
        for (String slot : List.of(id.exactSlot(), id.lineSlot())) {
            try {
                Optional<byte[]> bytes = remote.readRecord(slot, BuildRecord.MAX_BYTES);
                if (bytes.isEmpty()) {
                    continue;
                }
                BuildRecord r = BuildRecord.decode(bytes.get());
                boolean fits = slot.equals(id.exactSlot()) ? id.sameExact(r.identity()) : id.sameLine(r.identity());
                if (fits && !r.entries().isEmpty()) {
                    return Optional.of(r);
                }
            } catch (StoreException | BuildRecord.InvalidRecordException | RuntimeException e) {
                // Unreadable: this build's record stands alone, as before records carried on.
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
