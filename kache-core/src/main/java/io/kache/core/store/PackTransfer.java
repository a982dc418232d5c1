package io.kache.core.store;

import io.kache.api.ArtifactKey;
import io.kache.api.CorruptedEntryException;
import io.kache.core.entry.EntryFile;
import io.kache.core.entry.EntryManifest;
import io.kache.core.pack.PackLimits;
import io.kache.core.pack.PackReader;
import io.kache.core.pack.PackWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
     * become blobs only once all of it verified; the manifest is published last.
     *
     * @return bytes of new blobs and manifest added to the store
     */
    long importPack(ArtifactKey key, InputStream pack, PackLimits limits) throws IOException {
        List<Path> staged = new ArrayList<>();
        try {
            EntryManifest m = new PackReader(limits).read(pack, Optional.of(key), "for entry " + key,
                    (file, content) -> staged.add(blobs.stageVerified(content)));
            long added = 0;
            for (int i = 0; i < staged.size(); i++) {
                EntryFile f = m.files().get(i);
                if (blobs.publish(new Blobs.Staged(staged.get(i), f.sha256(), f.size()))) {
                    added += f.size();
                }
            }
            boolean existed = entries.exists(key);
            entries.publish(m);
            if (!existed) {
                added += Files.size(layout.entry(key));
            }
            return added;
        } finally {
            for (Path p : staged) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Writes {@code key}'s entry as a pack; false if there is no such entry. A pulled pack not yet
     * unpacked is written as it is.
     */
    boolean exportPack(ArtifactKey key, OutputStream out, int level) throws IOException {
        Optional<EntryManifest> m = entries.read(key);
        if (m.isEmpty()) {
            try {
                Files.copy(packs.path(key), out);
                return true;
            } catch (NoSuchFileException e) {
                return false;
            }
        }
        try {
            new PackWriter(level).write(m.get(), f -> Files.newInputStream(blobs.path(f.sha256())), out);
        } catch (NoSuchFileException e) {
            entries.delete(key);
            throw new CorruptedEntryException("entry " + key + " references a blob missing from the store: "
                    + e.getFile(), e);
        }
        return true;
    }
}
