package io.kache.core.store;

import io.kache.core.hash.ContentHashes;
import io.kache.core.hash.FileChecksum;
import io.kache.core.hash.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;
import org.slf4j.LoggerFactory;

/**
 * The content-addressed half of the store: each distinct content once, at {@code blobs/ab/abcd…},
 * uncompressed so a hit is a link or a plain copy.
 *
 * <p>Blobs are mode {@code 0644}, not read-only: restored {@code .rlib}/{@code .rmeta} files are
 * hard links to them, and rustc refuses to overwrite an output it finds read-only ("output file
 * … is not writeable"). Blobs stay intact because rustc replaces those outputs by rename, never
 * in place (checked by a test against the real rustc), and everything else is restored as a copy.
 */
final class Blobs {

    static final Set<PosixFilePermission> MODE = PosixFilePermissions.fromString("rw-r--r--");
    private static final int BUFFER = 256 * 1024;

    private final StoreLayout layout;
    private final ContentHashes hashes;

    Blobs(StoreLayout layout, ContentHashes hashes) {
        this.layout = layout;
        this.hashes = hashes;
    }

    /** Content copied into a temp file of the store, with its hash, size and CRC32C. */
    record Staged(Path temp, String sha256, FileChecksum checksum) {
        long size() {
            return checksum.size();
        }
    }

    /** Content copied into a temp file of the store whose hash its caller verifies, with its size and CRC32C. */
    record Copied(Path temp, FileChecksum checksum) {
        /** This copy as the content {@code sha256}, once the caller has verified that it is. */
        Staged verifiedAs(String sha256) {
            return new Staged(temp, sha256, checksum);
        }
    }

    Path path(String sha256) {
        return layout.blob(sha256);
    }

    /** Copies {@code source} into a new temp file while hashing it. */
    Staged stage(Path source) throws IOException {
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
            return stage(in::read);
        }
    }

    /** Copies {@code in} to its end into a new temp file while hashing it. */
    Staged stage(InputStream in) throws IOException {
        return stage(buf -> {
            int n = in.read(buf.array(), buf.position(), buf.remaining());
            if (n > 0) {
                buf.position(buf.position() + n);
            }
            return n;
        });
    }

    /**
     * Copies {@code in} to its end into a new temp file without hashing it, for content whose hash
     * the caller verifies itself (pack import); returns the temp file with the copy's size and CRC32C.
     */
    Copied stageVerified(InputStream in) throws IOException {
        Path temp = layout.newTemp("blob");
        byte[] buf = new byte[BUFFER];
        FileChecksum.Running sum = new FileChecksum.Running();
        boolean ok = false;
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                sum.update(buf, 0, n);
                ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                while (b.hasRemaining()) {
                    out.write(b);
                }
            }
            ok = true;
        } finally {
            if (!ok) {
                Files.deleteIfExists(temp);
            }
        }
        return new Copied(temp, sum.result());
    }

    private Staged stage(Reader reader) throws IOException {
        Path temp = layout.newTemp("blob");
        MessageDigest digest = Sha256.newDigest();
        FileChecksum.Running sum = new FileChecksum.Running();
        ByteBuffer buf = ByteBuffer.allocate(BUFFER);
        boolean ok = false;
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (reader.read(buf) >= 0) {
                buf.flip();
                digest.update(buf.array(), 0, buf.limit());
                sum.update(buf.array(), 0, buf.limit());
                while (buf.hasRemaining()) {
                    out.write(buf);
                }
                buf.clear();
            }
            ok = true;
        } finally {
            if (!ok) {
                Files.deleteIfExists(temp);
            }
        }
        return new Staged(temp, Sha256.hex(digest), sum.result());
    }

    /**
     * Whether the blob named {@code sha256} holds that content; see {@link ContentHashes#hasContent}
     * for when this reads the blob, and through which sum.
     *
     * @throws NoSuchFileException if there is no such blob
     */
    boolean intact(String sha256) throws IOException {
        return hashes.hasContent(path(sha256), sha256);
    }

    /** Moves a damaged blob out of the store's sight; see {@link Quarantine#take}. */
    Optional<Path> quarantine(String sha256) throws IOException {
        return new Quarantine(layout).take(sha256);
    }

    /**
     * Moves a staged file (whose content the caller has hashed or verified) to its blob path,
     * atomically and without replacing an intact blob. An existing blob is not trusted for its
     * name: one that no longer matches it is quarantined and the staged file takes its place, so
     * a recompile heals the store.
     *
     * @return whether the store grew by a new blob (false: the content was already stored)
     */
    boolean publish(Staged staged) throws IOException {
        Path blob = path(staged.sha256());
        boolean created;
        try {
            Files.setPosixFilePermissions(staged.temp(), MODE);
            Files.createDirectories(blob.getParent());
            created = place(staged, blob);
        } finally {
            Files.deleteIfExists(staged.temp());
        }
        // After the temp name is gone: dropping a link changes the inode's ctime, part of its identity.
        hashes.record(blob, staged.sha256());
        hashes.recordChecksum(staged.sha256(), staged.checksum());
        return created;
    }

    private boolean place(Staged staged, Path blob) throws IOException {
        try {
            // link() fails if the name exists, unlike rename(): no blob is ever replaced under a reader.
            Files.createLink(blob, staged.temp());
            return true;
        } catch (FileAlreadyExistsException e) {
            return replaceIfDamaged(staged, blob);
        } catch (UnsupportedOperationException | FileSystemException e) {
            if (e instanceof FileSystemException && Files.exists(blob)) {
                return replaceIfDamaged(staged, blob);
            }
            layout.publish(staged.temp(), blob);
            return true;
        }
    }

    private boolean replaceIfDamaged(Staged staged, Path blob) throws IOException {
        try {
            if (intact(staged.sha256())) {
                return false;
            }
            Optional<Path> evidence = quarantine(staged.sha256());
            LoggerFactory.getLogger(Blobs.class).warn("blob {} no longer matched its content hash; replaced it"
                    + " with the fresh copy{}", staged.sha256(), evidence.map(p -> " (old bytes kept in " + p + ")")
                    .orElse(""));
        } catch (NoSuchFileException gone) {
            // Collected or quarantined meanwhile: the staged copy simply takes the name.
        }
        layout.publish(staged.temp(), blob);
        return false;
    }

    @FunctionalInterface
    private interface Reader {
        int read(ByteBuffer buf) throws IOException;
    }
}
