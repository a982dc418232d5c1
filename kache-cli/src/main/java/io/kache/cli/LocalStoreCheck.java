package io.kache.cli;

import io.kache.core.config.KacheConfig;
import io.kache.core.store.EntryInfo;
import io.kache.core.store.LocalStore;
import io.kache.core.store.MemoVerification;
import io.kache.core.store.StoreStats;
import io.kache.core.store.StoreVerification;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * {@code kache doctor}'s look at the local store: it opens, a file can be created in it, every
 * entry's manifest reads, and the most recently used entries have all their blobs, each matching
 * its hash; with {@code --verify}, every blob is read and checked, and every toolchain memo.
 */
final class LocalStoreCheck {

    /** Entries whose blobs are read in full; the rest are only counted, to keep doctor quick. */
    static final int DEEP_CHECKS = 20;

    /** What to do with entries queued for a remote not configured now: {@code sync --push} sends only the configured one's. */
    private static final String EARLIER_REMOTE = "to send them, configure that remote again and run kache sync --push;"
            + " else leave them: each waits as an empty marker file, and its entry stays in the local store like any other";

    private LocalStoreCheck() {
    }

    static List<DoctorCheck> run(KacheConfig config, boolean verify) {
        List<DoctorCheck> checks = new ArrayList<>();
        Path root = config.localStore();
        try (LocalStore store = LocalStore.open(root, config.localMaxSize())) {
            Path probe = Files.createFile(store.newTemp("doctor"));
            Files.delete(probe);
            checks.add(DoctorCheck.ok("local store writable", root + " exists and accepts new files"));
            // Verification first: it reads everything, and the consistency check would otherwise
            // drop what it finds among the recent entries before it could be reported as damage.
            if (verify) {
                checks.add(verification(store.verify()));
                checks.add(memos(store.verifyToolchainMemos()));
            }
            checks.add(consistency(store));
            checks.add(backlog(RemoteBacklog.of(store, config)));
        } catch (IOException | RuntimeException e) {
            // A file where the store should be needs another fix than a directory this user cannot write.
            String fix = Files.isRegularFile(root)
                    ? "move the file away, or point KACHE_CACHE_DIR ([cache] local_store) at a directory"
                    : "make the directory writable for this user, or point KACHE_CACHE_DIR ([cache] local_store)"
                            + " at one that is";
            checks.add(DoctorCheck.fail("local store writable", "cannot use " + root + ": " + e.getMessage(), fix));
        }
        return checks;
    }

    /** Informational: what the builds left for the remote, and whether they leave it alone now. */
    private static DoctorCheck backlog(RemoteBacklog b) {
        if (!b.remoteConfigured()) {
            return DoctorCheck.ok("pending uploads", b.pending() == 0 ? "none"
                    : b.pendingText() + "; no remote is configured now, so these wait for a remote configured here"
                            + " earlier (" + EARLIER_REMOTE + ")");
        }
        String detail = b.pendingText() + "; the remote is " + b.remoteText();
        if (b.pending() == 0) {
            return DoctorCheck.ok("pending uploads", detail);
        }
        int mine = b.pending() - b.forOtherRemotes();
        if (b.forOtherRemotes() == 0) {
            return DoctorCheck.ok("pending uploads", detail + " (kache sync --push sends them now)");
        }
        return DoctorCheck.ok("pending uploads", detail + " (" + (mine == 0 ? "" : mine
                + " for this remote: kache sync --push sends them now; ") + b.forOtherRemotes()
                + " for another remote, configured here earlier or by another project sharing the store: "
                + EARLIER_REMOTE + ")");
    }

    private static DoctorCheck verification(StoreVerification v) {
        String seen = v.blobsChecked() + (v.blobsChecked() == 1 ? " blob" : " blobs") + " (" + v.bytesRead()
                + " bytes) read in full";
        if (v.clean()) {
            return DoctorCheck.ok("local store verified", seen + ", every one matches its content hash");
        }
        StringBuilder what = new StringBuilder(seen).append("; ");
        if (!v.damagedBlobs().isEmpty()) {
            what.append(v.damagedBlobs().size()).append(" damaged (quarantined: ")
                    .append(String.join(", ", v.damagedBlobs())).append("), ")
                    .append(v.droppedEntries().size()).append(" entries using them dropped");
        }
        if (!v.droppedPacks().isEmpty()) {
            what.append(v.damagedBlobs().isEmpty() ? "" : "; ").append(v.droppedPacks().size())
                    .append(" damaged pulled packs removed");
        }
        return DoctorCheck.fail("local store verified", what.toString(),
                "nothing to do for kache: the next build compiles and stores them again; damaged bytes on disk"
                        + " may point at failing hardware or a tool writing into the store");
    }

    /** The toolchain memos: a damaged one was a failed build or a wrong answer to cargo before kache checked them. */
    private static DoctorCheck memos(MemoVerification v) {
        String seen = v.checked() + (v.checked() == 1 ? " toolchain memo" : " toolchain memos") + " checked";
        String older = v.unsealed().isEmpty() ? "" : "; " + v.unsealed().size()
                + " without kache's check (an older kache's, or not written by kache) removed: " + String.join(", ",
                v.unsealed());
        if (v.clean()) {
            return DoctorCheck.ok("toolchain memos verified", seen + older);
        }
        return DoctorCheck.fail("toolchain memos verified", seen + "; " + v.damaged().size()
                        + " damaged (empty, cut short or altered) removed: " + String.join(", ", v.damaged()) + older,
                "nothing to do for kache: each is asked of the compiler again when next needed; damaged files may"
                        + " point at a crash during a build, failing hardware or a tool writing into the store");
    }

    private static DoctorCheck consistency(LocalStore store) throws IOException {
        StoreStats stats = store.stats();
        List<EntryInfo> readable = store.list(Optional.empty());
        long unreadable = stats.entries() - readable.size();
        List<EntryInfo> recent = readable.stream()
                .sorted(Comparator.comparing(EntryInfo::lastUsed).reversed()).limit(DEEP_CHECKS).toList();
        int broken = 0;
        for (EntryInfo e : recent) {
            try {
                // Exporting reads every blob of the entry; one that is missing drops the entry.
                if (!store.exportPack(e.key(), OutputStream.nullOutputStream(), 1)) {
                    broken++;
                }
            } catch (IOException ex) {
                broken++;
            }
        }
        String seen = readable.size() + (readable.size() == 1 ? " entry, " : " entries, ") + recent.size()
                + " most recently used read in full";
        if (unreadable > 0 || broken > 0) {
            return DoctorCheck.fail("local store consistent", seen + "; " + unreadable + " unreadable and " + broken
                    + " incomplete entries (incomplete ones were dropped)",
                    "run kache gc to remove what is left of them; the next build stores them again");
        }
        return DoctorCheck.ok("local store consistent", seen + ", all complete");
    }
}
