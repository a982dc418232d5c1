package io.kache.core.store;

import io.kache.api.CorruptedEntryException;
import io.kache.core.entry.EntryFile;
import io.kache.core.entry.EntryManifest;
import io.kache.core.hash.ContentHashes;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Places an entry's files into a directory: each one written beside its target under a temporary
 * name and renamed over it, so a concurrent reader (cargo, the linker) sees the old file or the
 * new one, never a part.
 *
 * <p>Only {@code .rlib} and {@code .rmeta} are hard-linked to their blob: rustc and cargo replace
 * those by rename, never rewrite them in place. Executables, shared libraries (proc-macros) and
 * everything else are private copies, since linkers and tools may patch those in place. When a
 * link fails (another file system, no permission), the file is copied instead. So is a blob another
 * target directory already links: the links of one inode share its mtime, which a restore sets to
 * now, and cargo judges freshness by it. A hit in checkout B made checkout A's copy of a crate look
 * newer than a dependency rebuilt in A since, cargo left the crate stale, and A's build failed with
 * E0460 until a clean (found by review).
 *
 * <p>A {@link RewrittenText} file (rustc's dep-info) is written as its rewritten text, in the same
 * one write and rename as any other file.
 *
 * <p>Every blob of the entry is checked against its name ({@link Blobs#intact}) before the first
 * file is placed: a damaged blob never reaches a target directory, not even beside good ones.
 */
final class Restorer {

    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-r--r--");
    private static final Set<PosixFilePermission> EXECUTABLE = PosixFilePermissions.fromString("rwxr-xr-x");

    private final Blobs blobs;
    private final ContentHashes hashes;
    private boolean linksWork = true;

    Restorer(Blobs blobs, ContentHashes hashes) {
        this.blobs = blobs;
        this.hashes = hashes;
    }

    /** Whether {@code f} may share its blob's inode. */
    static boolean linkable(EntryFile f) {
        return !f.executable() && (f.name().endsWith(".rlib") || f.name().endsWith(".rmeta"));
    }

    long restore(EntryManifest entry, Path targetDir, Optional<RewrittenText> text) throws IOException {
        for (EntryFile f : entry.files()) {
            check(entry, f);
        }
        long total = 0;
        FileTime now = FileTime.from(Instant.now());
        for (EntryFile f : entry.files()) {
            Path target = targetDir.resolve(f.name());
            Path blob = blobs.path(f.sha256());
            Path parent = target.getParent();
            Files.createDirectories(parent);
            boolean rewritten = text.isPresent() && text.get().name().equals(f.name());
            Path temp = parent.resolve("." + target.getFileName() + ".kache-"
                    + Long.toHexString(ThreadLocalRandom.current().nextLong()));
            try {
                if (rewritten) {
                    rewrite(blob, temp, f, text.get());
                } else if (!(linkable(f) && linkedOnlyThere(blob, target) && link(blob, temp, f, now))) {
                    copy(blob, temp, f, entry);
                }
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchFileException e) {
                if (!Files.exists(blob)) {
                    throw missingBlob(entry, f);
                }
                throw e;
            } finally {
                Files.deleteIfExists(temp);
            }
            if (!rewritten) {
                hashes.record(target, f.sha256());
            }
            total += f.size();
        }
        return total;
    }

    /**
     * Whether no target directory but {@code target}'s links {@code blob}: its links are the store's
     * own and, at most, {@code target} itself (restored there before). One stat, and one more where
     * the target exists.
     */
    private static boolean linkedOnlyThere(Path blob, Path target) throws IOException {
        int links;
        try {
            links = (Integer) Files.getAttribute(blob, "unix:nlink");
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
        if (links <= 1) {
            return true;
        }
        try {
            return links == 2 && Files.isSameFile(blob, target);
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    private boolean link(Path blob, Path temp, EntryFile f, FileTime now) throws IOException {
        if (!linksWork) {
            return false;
        }
        try {
            Files.createLink(temp, blob);
        } catch (NoSuchFileException e) {
            throw e;
        } catch (IOException | UnsupportedOperationException e) {
            // Typically EXDEV: the target is on another file system. Copy this and the rest.
            linksWork = false;
            return false;
        }
        try {
            if (Files.size(temp) != f.size()) {
                Files.delete(temp);
                return false;
            }
            // cargo judges freshness by mtime: the restored output must look newer than its sources.
            Files.setLastModifiedTime(temp, now);
            return true;
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            linksWork = false;
            return false;
        }
    }

    private void copy(Path blob, Path temp, EntryFile f, EntryManifest entry) throws IOException {
        long copied = 0;
        try (FileChannel in = FileChannel.open(blob, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long size = in.size();
            if (size != f.size()) {
                throw new CorruptedEntryException("blob of '" + f.name() + "' in entry " + entry.key() + " has "
                        + size + " bytes, expected " + f.size());
            }
            while (copied < size) {
                long n = in.transferTo(copied, size - copied, out);
                if (n <= 0) {
                    throw new IOException("short copy of blob " + blob);
                }
                copied += n;
            }
        }
        Files.setPosixFilePermissions(temp, f.executable() ? EXECUTABLE : FILE);
    }

    /** Writes {@code f}'s text, rewritten, to {@code temp}: the blob was checked like every other. */
    private static void rewrite(Path blob, Path temp, EntryFile f, RewrittenText text) throws IOException {
        String rewritten = text.rewrite().apply(Files.readString(blob, StandardCharsets.UTF_8));
        Files.writeString(temp, rewritten, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        Files.setPosixFilePermissions(temp, f.executable() ? EXECUTABLE : FILE);
    }

    private void check(EntryManifest entry, EntryFile f) throws IOException {
        boolean intact;
        try {
            intact = blobs.intact(f.sha256());
        } catch (NoSuchFileException e) {
            throw missingBlob(entry, f);
        }
        if (!intact) {
            String kept = blobs.quarantine(f.sha256()).map(p -> "; its bytes were moved to " + p).orElse("");
            throw new CorruptedEntryException("blob " + f.sha256() + " of '" + f.name() + "' in entry "
                    + entry.key() + " no longer matches its content hash" + kept);
        }
    }

    private static CorruptedEntryException missingBlob(EntryManifest entry, EntryFile f) {
        return new CorruptedEntryException("entry " + entry.key() + " references blob " + f.sha256()
                + " of '" + f.name() + "', which is missing from the store");
    }
}
