package io.kache.core.remote.filesystem;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactLayout;
import io.kache.api.ArtifactSource;
import io.kache.api.ArtifactStore;
import io.kache.api.DeletableStore;
import io.kache.api.EntryReader;
import io.kache.api.StoreException;
import io.kache.api.StoreMisconfiguredException;
import io.kache.api.StoreUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entries as files in a shared directory (an NFS mount, a CI cache volume):
 * {@code {root}/{prefix}/{crate}/{key}.tar.zst}.
 *
 * <p>A write goes to a temp file in the entry's own directory and is renamed into place, so
 * readers in any process see the whole entry or none, and a failed write leaves only a temp file
 * that listing ignores and that is deleted when the failure is seen. Concurrent writers of one key
 * all succeed: entries are immutable, so whichever rename lands last leaves the same bytes.
 */
final class FilesystemArtifactStore implements ArtifactStore, DeletableStore {

    private static final Logger LOG = LoggerFactory.getLogger(FilesystemArtifactStore.class);
    // Temp names start with '.' and end in ".tmp": ArtifactLayout.parse refuses them, so listing skips them.
    private static final String TEMP_SUFFIX = ".tmp";

    private final Path root;
    private final ArtifactLayout layout;
    private final FilesystemErrors errors;

    FilesystemArtifactStore(Path root, ArtifactLayout layout) {
        this.root = root;
        this.layout = layout;
        this.errors = new FilesystemErrors(root);
    }

    @Override
    public boolean load(ArtifactKey key, EntryReader reader) throws StoreException {
        Path file = file(key);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return miss();
        } catch (IOException e) {
            throw errors.map(e, file, "read");
        }
        try (InputStream in = Channels.newInputStream(channel)) {
            reader.read(in, channel.size());
            return true;
        } catch (StoreException e) {
            throw e;
        } catch (IOException e) {
            throw new StoreUnavailableException("reading " + file + " failed: " + e, e);
        }
    }

    @Override
    public void store(ArtifactKey key, ArtifactSource source) throws StoreException {
        Path target = file(key);
        Path dir = target.getParent();
        try {
            if (Files.exists(target)) {
                return;
            }
            // Never create the root: an unmounted share must fail loudly, not fill a local directory.
            if (!Files.isDirectory(root)) {
                throw errors.missingRoot();
            }
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw errors.map(e, dir, "write");
        }
        Path temp = null;
        boolean published = false;
        try {
            temp = createTemp(dir, key);
            copy(source, temp);
            publish(temp, target);
            published = true;
        } catch (IOException e) {
            throw errors.map(e, temp == null ? dir : temp, "write");
        } finally {
            if (!published && temp != null) {
                deleteQuietly(temp);
            }
        }
    }

    @Override
    public Optional<byte[]> readRecord(String slot, int maxBytes) throws StoreException {
        Path file = root.resolve(layout.recordName(slot));
        try (InputStream in = Files.newInputStream(file)) {
            return Optional.of(io.kache.core.remote.RecordBytes.read(in, maxBytes, file.toString()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw errors.map(e, file, "read");
        }
    }

    /** Through a temp file renamed into place, as entries are: a reader sees the old record or the new one. */
    @Override
    public void writeRecord(String slot, byte[] record) throws StoreException {
        Path target = root.resolve(layout.recordName(slot));
        Path dir = target.getParent();
        Path temp = dir.resolve("." + slot + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + TEMP_SUFFIX);
        try {
            if (!Files.isDirectory(root)) {
                throw errors.missingRoot();
            }
            Files.createDirectories(dir);
            Files.write(temp, record, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw errors.map(e, target, "write");
        } finally {
            deleteQuietly(temp);
        }
    }

    @Override
    public boolean contains(ArtifactKey key) throws StoreException {
        Path file = file(key);
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).isRegularFile();
        } catch (NoSuchFileException e) {
            return miss();
        } catch (IOException e) {
            throw errors.map(e, file, "stat");
        }
    }

    /** Unlinks the file; readers that opened it keep reading the whole entry. */
    @Override
    public void delete(ArtifactKey key) throws StoreException {
        Path file = file(key);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw errors.map(e, file, "delete");
        }
    }

    @Override
    public Stream<ArtifactKey> list(String crateName) throws StoreException {
        String cratePrefix = layout.cratePrefix(crateName);
        return names(root.resolve(cratePrefix))
                .map(name -> layout.parse(cratePrefix + name))
                .flatMap(Optional::stream);
    }

    @Override
    public Stream<ArtifactKey> listAll() throws StoreException {
        return names(root.resolve(layout.prefix()))
                .filter(ArtifactKey::isValidCrateName)
                .flatMap(crate -> {
                    try {
                        return list(crate);
                    } catch (StoreException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    @Override
    public void close() {
        // Nothing held open between calls.
    }

    @Override
    public String toString() {
        return "filesystem " + root + " (prefix " + layout.prefix() + ")";
    }

    private Path file(ArtifactKey key) {
        return root.resolve(layout.objectName(key));
    }

    /** A missing file is a miss, unless the whole shared directory has gone (an unmounted share). */
    private boolean miss() throws StoreMisconfiguredException {
        if (!Files.isDirectory(root)) {
            throw errors.missingRoot();
        }
        return false;
    }

    private Stream<String> names(Path dir) throws StoreException {
        try {
            return DirectoryListing.names(Files.newDirectoryStream(dir), dir, errors);
        } catch (NoSuchFileException | NotDirectoryException e) {
            miss();
            return Stream.empty();
        } catch (IOException e) {
            throw errors.map(e, dir, "list");
        }
    }

    // CREATE_NEW with a random name instead of Files.createTempFile: that one makes the file 0600,
    // which would hide entries from the other users of a shared directory.
    private static Path createTemp(Path dir, ArtifactKey key) throws IOException {
        while (true) {
            Path temp = dir.resolve("." + key.cacheKey() + "."
                    + Long.toHexString(ThreadLocalRandom.current().nextLong()) + TEMP_SUFFIX);
            try {
                Files.newByteChannel(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return temp;
            } catch (FileAlreadyExistsException e) {
                LOG.debug("temp name {} taken, trying another", temp);
            }
        }
    }

    private static void copy(ArtifactSource source, Path temp) throws IOException {
        long written;
        try (InputStream in = source.open();
             FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            OutputStream out = Channels.newOutputStream(channel);
            written = in.transferTo(out);
            // Durable before visible: after a crash the name must not point at a short file.
            channel.force(true);
        }
        if (written != source.size()) {
            throw new StoreUnavailableException("source " + source + " yielded " + written + " bytes, expected "
                    + source.size() + "; nothing was stored");
        }
    }

    private static void publish(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            // Some file systems refuse to replace; the other writer stored the same immutable bytes.
            deleteQuietly(temp);
        } catch (AtomicMoveNotSupportedException e) {
            throw new StoreMisconfiguredException("the file system of " + target.getParent()
                    + " cannot rename atomically; a shared directory for kache needs atomic rename", e);
        }
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            LOG.debug("could not delete temp file {}: {}", temp, e.toString());
        }
    }
}
