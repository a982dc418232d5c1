package io.kache.core.pack;

import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import io.kache.core.entry.EntryFile;
import io.kache.core.entry.EntryManifest;
import io.kache.core.entry.ManifestCodec;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes an entry as a pack; see {@link PackFormat}. Reads each file's content once through
 * {@link Contents}, and fails if a content's length differs from the manifest.
 */
public final class PackWriter {

    private static final int BUFFER = 256 * 1024;
    private static final FileTime MTIME = FileTime.from(Instant.ofEpochSecond(PackFormat.MTIME_SECONDS));

    private final int level;
    private final int workers;

    /**
     * @param level zstd level, {@value PackFormat#MIN_LEVEL}..{@value PackFormat#MAX_LEVEL}
     * @param workers zstd worker threads; 0 compresses in the calling thread. Output with any
     *     {@code workers >= 1} is identical, but differs from {@code 0}
     */
    public PackWriter(int level, int workers) {
        this.level = PackFormat.checkLevel(level);
        if (workers < 0) {
            throw new IllegalArgumentException("workers must not be negative");
        }
        this.workers = workers;
    }

    /**
     * A writer at {@code level} with one zstd worker: compression runs beside the thread that
     * reads files and builds the tar, like {@code tar | zstd}.
     */
    public PackWriter(int level) {
        this(level, 1);
    }

    /** Where a file's bytes come from while packing. */
    @FunctionalInterface
    public interface Contents {
        /** A fresh stream over {@code file}'s content; the writer closes it. */
        InputStream open(EntryFile file) throws IOException;
    }

    /**
     * Writes the pack of {@code manifest} to {@code out}, which is flushed but not closed.
     *
     * @throws IOException if a content cannot be read, has another length than declared, or
     *     {@code out} fails
     */
    public void write(EntryManifest manifest, Contents contents, OutputStream out) throws IOException {
        OutputStream shield = new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                out.flush();
            }
        };
        CheckedOutputStream checksummed = new CheckedOutputStream(shield, new CRC32C());
        ZstdOutputStreamNoFinalizer zstd = new ZstdOutputStreamNoFinalizer(
                new BufferedOutputStream(checksummed, BUFFER), level);
        zstd.setChecksum(true);
        if (workers > 0) {
            zstd.setWorkers(workers);
        }
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(zstd, StandardCharsets.UTF_8.name())) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            tar.setAddPaxHeadersForNonAsciiNames(true);
            byte[] encoded = ManifestCodec.encode(manifest);
            tar.putArchiveEntry(member(PackFormat.MANIFEST_NAME, encoded.length, PackFormat.MODE_FILE));
            tar.write(encoded);
            tar.closeArchiveEntry();
            byte[] buf = new byte[BUFFER];
            for (EntryFile f : manifest.files()) {
                tar.putArchiveEntry(member(PackFormat.FILES_PREFIX + f.name(), f.size(),
                        f.executable() ? PackFormat.MODE_EXECUTABLE : PackFormat.MODE_FILE));
                long copied = 0;
                try (InputStream in = contents.open(f)) {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        copied += n;
                        if (copied > f.size()) {
                            break;
                        }
                        tar.write(buf, 0, n);
                    }
                }
                if (copied != f.size()) {
                    throw new IOException("content of '" + f.name() + "' in entry " + manifest.key()
                            + " changed while packing: expected " + f.size() + " bytes");
                }
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
        out.write(PackTrailer.encode(checksummed.getChecksum().getValue()));
        out.flush();
    }

    private static TarArchiveEntry member(String name, long size, int mode) {
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(size);
        e.setMode(mode);
        e.setLastModifiedTime(MTIME);
        e.setUserId(0);
        e.setGroupId(0);
        // The constructor fills in the current user's name: packs must not depend on who made them.
        e.setUserName("");
        e.setGroupName("");
        return e;
    }
}
