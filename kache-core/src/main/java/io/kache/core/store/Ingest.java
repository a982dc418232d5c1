package io.kache.core.store;

import io.kache.api.ArtifactKey;
import io.kache.core.entry.EntryFile;
import io.kache.core.entry.EntryManifest;
import io.kache.core.entry.OutputFile;
import io.kache.core.hash.ContentHashes;
import io.kache.core.hash.FileIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Stores the outputs of one rustc call: blobs first, manifest last, all under the shared store
 * lock so a collection cannot delete a blob between the two.
 */
final class Ingest {

    private final StoreLayout layout;
    private final Blobs blobs;
    private final Entries entries;
    private final ContentHashes hashes;

    Ingest(StoreLayout layout, Blobs blobs, Entries entries, ContentHashes hashes) {
        this.layout = layout;
        this.blobs = blobs;
        this.entries = entries;
        this.hashes = hashes;
    }

    /** The stored manifest and the bytes the store grew by. */
    record Stored(EntryManifest manifest, long addedBytes) {
    }

    Stored put(ArtifactKey key, List<OutputFile> outputs, byte[] stdout, byte[] stderr, Map<String, String> attributes)
            throws IOException {
        Set<String> names = new HashSet<>();
        for (OutputFile o : outputs) {
            if (!names.add(o.name())) {
                throw new IllegalArgumentException("duplicate output name '" + o.name() + "' for entry " + key);
            }
        }
        long added = 0;
        try (StoreLock.Handle held = StoreLock.of(layout.storeLock()).shared(LocalStore.WRITER_WAIT)) {
            List<EntryFile> files = new ArrayList<>();
            for (OutputFile o : outputs) {
                Optional<FileIdentity> before = FileIdentity.of(o.source());
                boolean executable = isExecutable(o.source());
                Blobs.Staged staged = blobs.stage(o.source());
                if (!sameContent(before, FileIdentity.of(o.source()))
                        || o.content().isPresent() && !sameContent(o.content(), before)) {
                    // Written while it was read, or since it was pinned: the bytes staged are not
                    // (all) the compile's.
                    Files.deleteIfExists(staged.temp());
                    throw new IOException(o.source() + " changed while it was stored");
                }
                // rustc outputs are often hashed next as inputs of dependent crates: remember them.
                hashes.recordIfUnchanged(o.source(), staged.sha256(), before);
                if (blobs.publish(staged)) {
                    added += staged.size();
                }
                files.add(new EntryFile(o.name(), staged.size(), executable, staged.sha256()));
            }
            EntryManifest m = new EntryManifest(key, files, stdout, stderr, attributes);
            Entries.Published published = entries.publishAddingRendering(m);
            return new Stored(published.manifest(), added + published.grewBy());
        }
    }

    /** Whether a file kept its content while it was read; without a unix identity, nothing can tell. */
    private static boolean sameContent(Optional<FileIdentity> before, Optional<FileIdentity> after) {
        if (before.isEmpty() || after.isEmpty()) {
            return before.isEmpty() && after.isEmpty();
        }
        return before.get().sameContentAs(after.get());
    }

    private static boolean isExecutable(Path file) throws IOException {
        try {
            return Files.getPosixFilePermissions(file).contains(PosixFilePermission.OWNER_EXECUTE);
        } catch (UnsupportedOperationException e) {
            return Files.isExecutable(file);
        }
    }
}
