package io.kache.core.pack;

import io.kache.api.ArtifactKey;
import io.kache.core.entry.EntryManifest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Unpacks a pack into a directory that appears all at once: files are extracted into a private
 * temporary directory beside the target, which is renamed to the target only when the whole pack
 * verified. On any failure the temporary directory is removed and the target does not exist.
 */
public final class DirectoryUnpacker {

    private final PackReader reader;

    public DirectoryUnpacker(PackLimits limits) {
        this.reader = new PackReader(limits);
    }

    /**
     * @param target a directory that must not exist yet
     * @return the verified manifest
     * @throws io.kache.api.CorruptedEntryException for a bad pack (nothing left behind)
     * @throws FileAlreadyExistsException if {@code target} exists
     */
    public EntryManifest unpack(InputStream packed, Optional<ArtifactKey> expected, String origin, Path target)
            throws IOException {
        Path dir = target.toAbsolutePath().normalize();
        if (Files.exists(dir)) {
            throw new FileAlreadyExistsException(dir.toString());
        }
        Files.createDirectories(dir.getParent());
        Path temp = dir.resolveSibling("." + dir.getFileName() + ".kache-unpack-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        Files.createDirectory(temp);
        boolean ok = false;
        byte[] buf = new byte[256 * 1024];
        try {
            EntryManifest m = reader.read(packed, expected, origin, (file, content) -> {
                // Names were validated (no '..', not absolute), so this stays inside temp.
                Path out = temp.resolve(file.name());
                Files.createDirectories(out.getParent());
                try (FileChannel ch = FileChannel.open(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    int n;
                    while ((n = content.read(buf)) >= 0) {
                        ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                        while (b.hasRemaining()) {
                            ch.write(b);
                        }
                    }
                }
                Files.setPosixFilePermissions(out, PosixFilePermissions.fromString(
                        file.executable() ? "rwxr-xr-x" : "rw-r--r--"));
            });
            Files.move(temp, dir, StandardCopyOption.ATOMIC_MOVE);
            ok = true;
            return m;
        } finally {
            if (!ok) {
                deleteTree(temp);
            }
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
