package io.kache.core.store;

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
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.Set;

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

    Blobs(StoreLayout layout) {
        this.layout = layout;
    }

    /** Content copied into a temp file of the store, with its hash and size. */
    record Staged(Path temp, String sha256, long size) {
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
     * the caller verifies itself (pack import); returns the temp file.
     */
    Path stageVerified(InputStream in) throws IOException {
        Path temp = layout.newTemp("blob");
        byte[] buf = new byte[BUFFER];
        boolean ok = false;
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            int n;
            while ((n = in.read(buf)) >= 0) {
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
        return temp;
    }

    private Staged stage(Reader reader) throws IOException {
        Path temp = layout.newTemp("blob");
        MessageDigest digest = Sha256.newDigest();
        ByteBuffer buf = ByteBuffer.allocate(BUFFER);
        long size = 0;
        boolean ok = false;
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (reader.read(buf) >= 0) {
                buf.flip();
                digest.update(buf.array(), 0, buf.limit());
                size += buf.limit();
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
        return new Staged(temp, Sha256.hex(digest), size);
    }

    /**
     * Moves a staged file to its blob path, atomically and without replacing an intact blob.
     *
     * @return whether a new blob was created (false: the content was already stored)
     */
    boolean publish(Staged staged) throws IOException {
        Path blob = path(staged.sha256());
        try {
            Files.setPosixFilePermissions(staged.temp(), MODE);
            Files.createDirectories(blob.getParent());
            try {
                // link() fails if the name exists, unlike rename(): no blob is ever replaced under a reader.
                Files.createLink(blob, staged.temp());
                return true;
            } catch (FileAlreadyExistsException e) {
                if (sizeOf(blob) == staged.size()) {
                    return false;
                }
                // A blob of the wrong size was damaged from outside; the fresh copy replaces it.
                Files.move(staged.temp(), blob, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return false;
            } catch (UnsupportedOperationException | FileSystemException e) {
                if (e instanceof FileSystemException && Files.exists(blob)) {
                    return false;
                }
                Files.move(staged.temp(), blob, StandardCopyOption.ATOMIC_MOVE);
                return true;
            }
        } finally {
            Files.deleteIfExists(staged.temp());
        }
    }

    private static long sizeOf(Path p) throws IOException {
        try {
            return Files.size(p);
        } catch (NoSuchFileException e) {
            return -1;
        }
    }

    @FunctionalInterface
    private interface Reader {
        int read(ByteBuffer buf) throws IOException;
    }
}
