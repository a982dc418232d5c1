package io.kache.core.store;

import io.kache.api.ArtifactKey;
import io.kache.api.CorruptedEntryException;
import io.kache.core.entry.EntryFile;
import io.kache.core.entry.EntryManifest;
import io.kache.core.hash.ContentHashes;
import io.kache.core.hash.FileIdentity;
import io.kache.core.hash.Sha256;
import io.kache.core.pack.PackCopier;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code kache doctor --verify}: the one place that trusts no memo. Every blob is read whole and
 * compared with its name; a damaged one is quarantined and every entry that used it dropped, so
 * the next build compiles and stores it again. Every pulled pack's trailer is checked the same way.
 * Intact blobs have their identity recorded, so the hit path need not read them again.
 */
final class StoreAudit {

    private final StoreLayout layout;
    private final Blobs blobs;
    private final Entries entries;
    private final Packs packs;
    private final ContentHashes hashes;

    StoreAudit(StoreLayout layout, Blobs blobs, Entries entries, Packs packs, ContentHashes hashes) {
        this.layout = layout;
        this.blobs = blobs;
        this.entries = entries;
        this.packs = packs;
        this.hashes = hashes;
    }

    StoreVerification run() throws IOException {
        long[] checkedAndBytes = new long[2];
        Set<String> damaged = new HashSet<>();
        BlobScan.forEachBlob(layout.blobsDir(), (blob, name, size) -> {
            if (!EntryFile.isSha256Hex(name)) {
                return;   // not a blob: a collection removes it
            }
            Optional<FileIdentity> before = FileIdentity.of(blob);
            String actual;
            try {
                actual = Sha256.of(blob);
            } catch (NoSuchFileException e) {
                return;
            }
            checkedAndBytes[0]++;
            checkedAndBytes[1] += size;
            if (actual.equals(name)) {
                hashes.recordIfUnchanged(blob, name, before);
            } else if (blobs.quarantine(name).isPresent()) {
                damaged.add(name);
            }
        });
        List<ArtifactKey> droppedEntries = new ArrayList<>();
        if (!damaged.isEmpty()) {
            for (ArtifactKey key : entries.allKeys()) {
                if (uses(key, damaged) && entries.delete(key)) {
                    droppedEntries.add(key);
                }
            }
        }
        List<ArtifactKey> droppedPacks = new ArrayList<>();
        for (ArtifactKey key : packs.files().allKeys()) {
            if (!packIntact(key) && packs.delete(key)) {
                droppedPacks.add(key);
            }
        }
        return new StoreVerification(checkedAndBytes[0], checkedAndBytes[1], damaged.stream().sorted().toList(),
                droppedEntries, droppedPacks);
    }

    private boolean uses(ArtifactKey key, Set<String> damaged) throws IOException {
        Optional<EntryManifest> m;
        try {
            m = entries.read(key);
        } catch (CorruptedEntryException e) {
            return false;   // unreadable: a collection removes it, and it never restores anything
        }
        return m.isPresent() && m.get().files().stream().anyMatch(f -> damaged.contains(f.sha256()));
    }

    private boolean packIntact(ArtifactKey key) throws IOException {
        try (InputStream in = Files.newInputStream(packs.path(key))) {
            PackCopier.copy(in, Channels.newChannel(OutputStream.nullOutputStream()), Long.MAX_VALUE,
                    "pulled pack " + key);
            return true;
        } catch (NoSuchFileException e) {
            return true;   // unpacked or collected meanwhile
        } catch (CorruptedEntryException e) {
            return false;
        }
    }
}
