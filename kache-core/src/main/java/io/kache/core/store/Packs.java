package io.kache.core.store;

import io.kache.api.ArtifactKey;
import io.kache.core.entry.EntryManifest;
import io.kache.core.pack.PackCopier;
import io.kache.core.pack.PackLimits;
import io.kache.core.pack.PackReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Pulled entries kept as the pack they arrived in, at {@code packs/CRATE/KEY}, until their first
 * lookup unpacks them into blobs and a manifest ({@link PackTransfer#importPack}). Pulls of earlier
 * versions of kache kept entries so; a pull now imports each entry as it downloads, so a build finds it
 * ready, and this class reads, exports, counts and collects the packs older stores still hold.
 *
 * <p>A pack is published only after its integrity trailer matched and its manifest named its
 * key; its files' hashes are checked when it is unpacked, and a pack that fails then is deleted
 * and counts as a miss.
 */
final class Packs {

    private final StoreLayout layout;
    private final KeyTree files;

    Packs(StoreLayout layout) {
        this.layout = layout;
        this.files = layout.packFiles();
    }

    /**
     * A pack now in the store.
     *
     * @param manifest the entry the pack holds
     * @param addedBytes bytes the store grew by (0 when the key was already there)
     */
    record Stored(EntryManifest manifest, long addedBytes) {
    }

    /**
     * Streams a pack of {@code key} into {@code tmp/}, checks its trailer and manifest, and
     * publishes it. An entry or pack already present under the key is kept.
     *
     * @throws io.kache.api.CorruptedEntryException if the trailer or the manifest is wrong (nothing is kept)
     */
    Stored store(ArtifactKey key, InputStream pack, PackLimits limits, Entries entries) throws IOException {
        Path temp = layout.newTemp("pack");
        String origin = "for entry " + key;
        try {
            PackCopier.Copied copied;
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                copied = PackCopier.copy(pack, out, limits.maxPackBytes(), origin);
            }
            long size = copied.size();
            EntryManifest manifest;
            try (InputStream in = new SequenceInputStream(new ByteArrayInputStream(copied.head()),
                    new RestOfFile(temp, copied.head().length))) {
                manifest = new PackReader(limits).readManifest(in, Optional.of(key), origin);
            }
            if (entries.exists(key)) {
                return new Stored(manifest, 0);
            }
            Path file = files.prepare(key);
            try {
                // link() fails if the name exists, unlike rename(): a pack being unpacked is never replaced.
                Files.createLink(file, temp);
                return new Stored(manifest, size);
            } catch (FileAlreadyExistsException e) {
                return new Stored(manifest, 0);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** A file from an offset on, opened only if read: the manifest is almost always within the head in memory. */
    private static final class RestOfFile extends InputStream {
        private final Path file;
        private final long offset;
        private InputStream in;

        RestOfFile(Path file, long offset) {
            this.file = file;
            this.offset = offset;
        }

        private InputStream in() throws IOException {
            if (in == null) {
                FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
                try {
                    ch.position(offset);
                } catch (IOException | RuntimeException e) {
                    ch.close();
                    throw e;
                }
                in = Channels.newInputStream(ch);
            }
            return in;
        }

        @Override
        public int read() throws IOException {
            return in().read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in().read(b, off, len);
        }

        @Override
        public void close() throws IOException {
            if (in != null) {
                in.close();
            }
        }
    }

    Path path(ArtifactKey key) {
        return files.path(key);
    }

    boolean exists(ArtifactKey key) {
        return files.exists(key);
    }

    /** The pack's size, or -1 if it is gone. */
    long size(ArtifactKey key) throws IOException {
        try {
            return Files.size(path(key));
        } catch (NoSuchFileException e) {
            return -1;
        }
    }

    /** The manifest of {@code key}'s pack, read from the pack; empty if there is none. */
    Optional<EntryManifest> manifest(ArtifactKey key) throws IOException {
        try (InputStream in = Files.newInputStream(path(key))) {
            return Optional.of(new PackReader(PackLimits.defaults()).readManifest(in, Optional.of(key), path(key).toString()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    boolean delete(ArtifactKey key) throws IOException {
        return files.delete(key);
    }

    KeyTree files() {
        return files;
    }
}
