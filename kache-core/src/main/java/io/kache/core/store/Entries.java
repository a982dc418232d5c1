package io.kache.core.store;

import io.kache.api.ArtifactKey;
import io.kache.api.CorruptedEntryException;
import io.kache.core.entry.EntryManifest;
import io.kache.core.entry.ManifestCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The entry half of the store: one manifest file per key at {@code entries/CRATE/KEY}. A manifest
 * is published only after every blob it references, so a visible manifest is a complete entry.
 * Its mtime records the last use, for LRU eviction. Its files never change; a compile of the same
 * entry with other diagnostic flags may add its rendering ({@link #publishAddingRendering}), by an
 * atomic replace, so a reader sees the manifest before or after, both whole and valid.
 */
final class Entries {

    private final StoreLayout layout;
    private final KeyTree files;

    Entries(StoreLayout layout) {
        this.layout = layout;
        this.files = layout.entryFiles();
    }

    /**
     * The manifest of {@code key}, or empty on a miss.
     *
     * @throws CorruptedEntryException if the file exists but is not a valid manifest of this key
     */
    Optional<EntryManifest> read(ArtifactKey key) throws IOException {
        Path file = layout.entry(key);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        EntryManifest m = ManifestCodec.decode(bytes, file.toString());
        // Field by field: a record's equals() is bootstrapped through invokedynamic, slow in a fresh JVM.
        if (!m.key().crateName().equals(key.crateName()) || !m.key().cacheKey().equals(key.cacheKey())) {
            throw new CorruptedEntryException("entry file " + file + " holds entry " + m.key() + ", not " + key);
        }
        return Optional.of(m);
    }

    boolean exists(ArtifactKey key) {
        return files.exists(key);
    }

    /** Marks {@code key} used now where it can; see {@link KeyTree#touch}. */
    void touch(ArtifactKey key) {
        files.touch(key);
    }

    /** Last use of {@code key}, or empty if absent. */
    Optional<Instant> lastUsed(ArtifactKey key) throws IOException {
        return files.lastUsed(key);
    }

    /**
     * Publishes {@code m} atomically. An existing valid manifest of the key is kept (entries are
     * immutable: same key, same outputs); an unreadable one is replaced.
     *
     * @return the manifest now stored under the key
     */
    EntryManifest publish(EntryManifest m) throws IOException {
        Path file = layout.entry(m.key());
        Path temp = layout.newTemp("entry");
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(ManifestCodec.encode(m));
                while (buf.hasRemaining()) {
                    out.write(buf);
                }
            }
            files.prepare(m.key());
            try {
                Files.createLink(file, temp);
                return m;
            } catch (FileAlreadyExistsException e) {
                try {
                    Optional<EntryManifest> existing = read(m.key());
                    if (existing.isPresent()) {
                        return existing.get();
                    }
                } catch (CorruptedEntryException corrupt) {
                    // Replaced below by the good copy.
                }
                layout.publish(temp, file);
                return m;
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * What {@link #publishAddingRendering} did.
     *
     * @param manifest the manifest now stored under the key
     * @param grewBy bytes the entry file grew by (all of it when it is new)
     */
    record Published(EntryManifest manifest, long grewBy) {
    }

    /**
     * As {@link #publish}, except that an entry already there which has no rendering for the
     * diagnostic flags of {@code m} gets {@code m}'s (see {@link EntryManifest#withRenderingOf}): the
     * manifest is replaced atomically by one with the same files, streams and attributes and this
     * one more rendering. Two calls adding one each at once may leave only one of them (the last
     * replace wins; the other is added again by its flags' next miss); both manifests are whole.
     * The caller holds the store's shared lock and has published every blob of {@code m}.
     */
    Published publishAddingRendering(EntryManifest m) throws IOException {
        Path file = layout.entry(m.key());
        Optional<EntryManifest> existing;
        long before;
        try {
            before = Files.size(file);
            existing = read(m.key());
        } catch (NoSuchFileException | CorruptedEntryException e) {
            existing = Optional.empty();
            before = 0;
        }
        Optional<EntryManifest> merged = existing.flatMap(e -> e.withRenderingOf(m));
        if (merged.isEmpty()) {
            boolean existed = exists(m.key());
            EntryManifest stored = publish(m);
            return new Published(stored, existed ? 0 : Files.size(file));
        }
        byte[] bytes;
        try {
            bytes = ManifestCodec.encode(merged.get());
        } catch (IllegalArgumentException e) {
            // Beyond the manifest size limit with it: the entry stays as it is, its flags a miss.
            return new Published(existing.get(), 0);
        }
        Path temp = layout.newTemp("entry");
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                out.write(buf);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        layout.publish(temp, file);
        return new Published(merged.get(), bytes.length - before);
    }

    /** Removes {@code key}'s manifest; true if there was one. */
    boolean delete(ArtifactKey key) throws IOException {
        return files.delete(key);
    }

    /** Keys of one crate, sorted. */
    List<ArtifactKey> keys(String crate) throws IOException {
        return files.keys(crate);
    }

    /** Every key, sorted by crate then key. */
    List<ArtifactKey> allKeys() throws IOException {
        return files.allKeys();
    }
}
