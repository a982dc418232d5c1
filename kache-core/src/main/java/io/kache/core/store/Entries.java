package io.kache.core.store;

import io.kache.api.ArtifactKey;
import io.kache.api.CorruptedEntryException;
import io.kache.core.entry.EntryManifest;
import io.kache.core.entry.ManifestCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The entry half of the store: one manifest file per key at {@code entries/CRATE/KEY}. A manifest
 * is published only after every blob it references, so a visible manifest is a complete entry.
 * Its mtime records the last use, for LRU eviction; the content never changes.
 */
final class Entries {

    private final StoreLayout layout;

    Entries(StoreLayout layout) {
        this.layout = layout;
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
        return Files.exists(layout.entry(key));
    }

    /** Marks {@code key} used now; a missing entry is ignored. */
    void touch(ArtifactKey key) throws IOException {
        try {
            Files.setLastModifiedTime(layout.entry(key), FileTime.from(Instant.now()));
        } catch (NoSuchFileException e) {
            // Evicted between read and touch: nothing to mark.
        }
    }

    /** Last use of {@code key}, or empty if absent. */
    Optional<Instant> lastUsed(ArtifactKey key) throws IOException {
        try {
            return Optional.of(Files.getLastModifiedTime(layout.entry(key)).toInstant());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
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
            Files.createDirectories(file.getParent());
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
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return m;
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Removes {@code key}'s manifest; true if there was one. */
    boolean delete(ArtifactKey key) throws IOException {
        return Files.deleteIfExists(layout.entry(key));
    }

    /** Crate directories present, sorted. */
    List<String> crates() throws IOException {
        List<String> crates = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(layout.entriesDir())) {
            for (Path d : dirs) {
                String name = d.getFileName().toString();
                if (ArtifactKey.isValidCrateName(name) && Files.isDirectory(d)) {
                    crates.add(name);
                }
            }
        } catch (NoSuchFileException e) {
            return crates;
        }
        crates.sort(null);
        return crates;
    }

    /** Keys of one crate, sorted; names that are not valid keys (foreign files) are skipped. */
    List<ArtifactKey> keys(String crate) throws IOException {
        List<ArtifactKey> keys = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(layout.entriesDir().resolve(crate))) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (ArtifactKey.isValidCacheKey(name)) {
                    keys.add(new ArtifactKey(crate, name));
                }
            }
        } catch (NoSuchFileException e) {
            return keys;
        }
        keys.sort((a, b) -> a.cacheKey().compareTo(b.cacheKey()));
        return keys;
    }

    /** Every key, sorted by crate then key. */
    List<ArtifactKey> allKeys() throws IOException {
        List<ArtifactKey> all = new ArrayList<>();
        for (String crate : crates()) {
            all.addAll(keys(crate));
        }
        return all;
    }
}
