package io.kache.core.store;

import io.kache.api.ArtifactKey;
import io.kache.api.CorruptedEntryException;
import io.kache.core.entry.EntryFile;
import io.kache.core.entry.EntryManifest;
import io.kache.core.pack.PackCopier;
import io.kache.core.pack.PackLimits;
import io.kache.core.pack.PackReader;
import io.kache.core.pack.PackWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Moves entries between the store and packs. Kept apart from {@link LocalStore} so the hit path
 * never loads zstd-jni or Commons Compress.
 */
final class PackTransfer {

    private final StoreLayout layout;
    private final Blobs blobs;
    private final Entries entries;
    private final Packs packs;

    PackTransfer(StoreLayout layout, Blobs blobs, Entries entries, Packs packs) {
        this.layout = layout;
        this.blobs = blobs;
        this.entries = entries;
        this.packs = packs;
    }

    /**
     * Verifies a pack and imports it. Files are staged in {@code tmp/} while the pack streams and
     * become blobs only once all of it verified; the manifest is published last. An entry not yet
     * here is kept only if {@code budget} takes its size, known once its manifest is read: else
     * nothing of it is kept.
     *
     * @return bytes of new blobs and manifest added to the store; empty when the budget did not take it
     */
    OptionalLong importPack(ArtifactKey key, InputStream pack, PackLimits limits, ImportBudget budget)
            throws IOException {
        List<Blobs.Copied> staged = new ArrayList<>();
        try {
            EntryManifest m = new PackReader(limits).read(pack, Optional.of(key), "for entry " + key,
                    (file, content) -> staged.add(blobs.stageVerified(content)));
            if (!entries.exists(key) && !budget.takes(m)) {
                return OptionalLong.empty();
            }
            long added = 0;
            for (int i = 0; i < staged.size(); i++) {
                EntryFile f = m.files().get(i);
                if (blobs.publish(staged.get(i).verifiedAs(f.sha256()))) {
                    added += f.size();
                }
            }
            boolean existed = entries.exists(key);
            entries.publish(m);
            if (!existed) {
                added += Files.size(layout.entry(key));
            }
            return OptionalLong.of(added);
        } finally {
            for (Blobs.Copied c : staged) {
                Files.deleteIfExists(c.temp());
            }
        }
    }

    /**
     * Writes {@code key}'s entry as a pack; false if there is no such entry. Every file is hashed as
     * it is packed and must match its name, so a damaged blob never leaves the machine: the entry is
     * dropped, the blob quarantined, and {@code out} is left with an unfinished pack the caller
     * discards. A pulled pack not yet unpacked is written as it is, its integrity trailer checked.
     */
    boolean exportPack(ArtifactKey key, OutputStream out, int level) throws IOException {
        Optional<EntryManifest> m = entries.read(key);
        if (m.isEmpty()) {
            return copyPulledPack(key, out);
        }
        try {
            new PackWriter(level).write(m.get(), f -> CheckedBlobInput.open(blobs.path(f.sha256()), f.sha256()), out);
        } catch (NoSuchFileException e) {
            entries.delete(key);
            throw new CorruptedEntryException("entry " + key + " references a blob missing from the store: "
                    + e.getFile(), e);
        } catch (CheckedBlobInput.DamagedBlobException e) {
            entries.delete(key);
            String kept = blobs.quarantine(e.sha256()).map(p -> "; its bytes were moved to " + p).orElse("");
            throw new CorruptedEntryException("entry " + key + " was not exported and was dropped: "
                    + e.getMessage() + kept, e);
        }
        return true;
    }

    private boolean copyPulledPack(ArtifactKey key, OutputStream out) throws IOException {
        try (InputStream in = Files.newInputStream(packs.path(key))) {
            PackCopier.copy(in, Channels.newChannel(out), Long.MAX_VALUE, "pulled pack " + key);
            out.flush();
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (CorruptedEntryException e) {
            packs.delete(key);
            throw e;
        }
    }
}
