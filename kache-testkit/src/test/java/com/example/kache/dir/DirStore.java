package com.example.kache.dir;

import io.kache.api.*;
import java.io.*;
import java.nio.file.*;
import java.util.*;
import java.util.stream.Stream;

final class DirStore implements ArtifactStore {
    private final Path root;
    private final ArtifactLayout layout;

    DirStore(Path root, ArtifactLayout layout) {
        this.root = root;
        this.layout = layout;
    }

    private Path file(ArtifactKey key) {
        return root.resolve(layout.objectName(key));
    }

    @Override
    public boolean load(ArtifactKey key, EntryReader reader) throws StoreException {
        InputStream in;
        try {
            in = Files.newInputStream(file(key));
        } catch (NoSuchFileException e) {
            return false;                                   // a miss, not an error
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot open " + file(key), e);
        }
        try (in) {
            reader.read(in, Files.size(file(key)));
            return true;
        } catch (StoreException e) {
            throw e;                                        // the reader's own verdict passes through
        } catch (IOException e) {
            throw new StoreUnavailableException("reading " + file(key) + " failed", e);
        }
    }

    @Override
    public void store(ArtifactKey key, ArtifactSource source) throws StoreException {
        Path target = file(key);
        Path temp = null;
        try {
            Files.createDirectories(target.getParent());
            // Same directory, so the rename is atomic; the temp name never parses as an entry.
            temp = Files.createTempFile(target.getParent(), ".incoming-", ".tmp");
            try (InputStream in = source.open()) {
                Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AccessDeniedException e) {
            throw new StoreAccessDeniedException(root.toString(), "write", "the directory is read-only", e);
        } catch (IOException e) {
            throw new StoreUnavailableException("storing " + key + " under " + root + " failed", e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);             // after a failure: leave nothing behind
                } catch (IOException ignored) {
                    // the entry itself was never published
                }
            }
        }
    }

    @Override
    public boolean contains(ArtifactKey key) {
        return Files.isRegularFile(file(key));
    }

    @Override
    public Stream<ArtifactKey> list(String crateName) throws StoreException {
        return keysUnder(root.resolve(layout.cratePrefix(crateName)));   // refuses invalid names
    }

    @Override
    public Stream<ArtifactKey> listAll() throws StoreException {
        return keysUnder(root.resolve(layout.rootPrefix()));
    }

    private Stream<ArtifactKey> keysUnder(Path dir) throws StoreException {
        if (!Files.isDirectory(dir)) {
            return Stream.empty();
        }
        try {
            // Names go through ArtifactLayout.parse: temp files and foreign files are skipped.
            return Files.walk(dir)
                    .filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString().replace(File.separatorChar, '/'))
                    .map(layout::parse)
                    .flatMap(Optional::stream);
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot list " + dir, e);
        }
    }

    @Override
    public void close() {
        // nothing to release
    }
}
