package io.kache.core.store;

import io.kache.api.ArtifactKey;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A directory of one file per key at {@code CRATE/KEY}, whose mtime records the key's last use:
 * the shape of both {@code entries/} and {@code packs/}.
 */
final class KeyTree {

    private final Path dir;

    KeyTree(Path dir) {
        this.dir = dir;
    }

    Path path(ArtifactKey key) {
        return dir.resolve(key.crateName()).resolve(key.cacheKey());
    }

    /**
     * The file of {@code key}, its crate directory created if missing. java.io's stat first: on a
     * present directory {@code Files.createDirectories} throws and catches two exceptions, and
     * {@code Files.isDirectory} one on a missing one.
     */
    Path prepare(ArtifactKey key) throws IOException {
        Path file = path(key);
        if (!file.getParent().toFile().isDirectory()) {
            Files.createDirectories(file.getParent());
        }
        return file;
    }

    boolean exists(ArtifactKey key) {
        // java.io's stat: on JDK 17 Files.exists throws and catches an exception for every missing
        // file, and a pull asks about keys that are missing, several times each.
        return path(key).toFile().exists();
    }

    /**
     * Marks {@code key} used now, for eviction's order only: a file that is gone, or that this process
     * may read but not stamp (another user's in a shared store, a read-only mount), stays as it was.
     */
    void touch(ArtifactKey key) {
        try {
            Files.setLastModifiedTime(path(key), FileTime.from(Instant.now()));
        } catch (IOException e) {
            // Removed between read and touch, or not ours to stamp: a hit all the same.
        }
    }

    /** Last use of {@code key}, or empty if absent. */
    Optional<Instant> lastUsed(ArtifactKey key) throws IOException {
        try {
            return Optional.of(Files.getLastModifiedTime(path(key)).toInstant());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Removes {@code key}'s file; true if there was one. */
    boolean delete(ArtifactKey key) throws IOException {
        return Files.deleteIfExists(path(key));
    }

    /** Crate directories present, sorted. */
    List<String> crates() throws IOException {
        List<String> crates = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(dir)) {
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

    /** Keys of one crate, sorted; names that are not valid keys (temp or foreign files) are skipped. */
    List<ArtifactKey> keys(String crate) throws IOException {
        List<ArtifactKey> keys = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir.resolve(crate))) {
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
