package io.kache.core.pack;

import io.kache.api.ArtifactKey;
import io.kache.api.CorruptedEntryException;
import io.kache.core.entry.EntryFile;
import io.kache.core.entry.EntryManifest;
import io.kache.core.entry.ManifestCodec;
import com.github.luben.zstd.RecyclingBufferPool;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Reads an untrusted pack, checking everything before a byte reaches a {@link FileSink}: the
 * manifest comes first and must be valid (and name the expected key); then exactly its files, in
 * order, as plain files with the declared size and mode; each file's SHA-256 is verified as it
 * streams; the zstd window is at most 128 MiB; expansion is bounded by what the pack declares and
 * by {@link PackLimits}, and the compressed bytes by the expansion ({@link CompressedBound}); nothing
 * may follow the archive but zero padding.
 *
 * <p>Sinks must write to a private temporary place and publish only after {@link #read} returns:
 * a file that streamed fine may still be followed by a corrupt one.
 */
public final class PackReader {

    private static final int BUFFER = 256 * 1024;
    /** Slack per file for tar and PAX headers and padding. */
    private static final long HEADER_SLACK = 16 * 1024;
    private static final long TRAILER_SLACK = 64 * 1024;

    private final PackLimits limits;

    public PackReader(PackLimits limits) {
        this.limits = limits;
    }

    /** Receives each verified-so-far file of a pack. */
    @FunctionalInterface
    public interface FileSink {
        /**
         * Consumes {@code content}, exactly {@code file.size()} bytes (the reader drains what is
         * left and checks the hash after this returns).
         */
        void accept(EntryFile file, InputStream content) throws IOException;
    }

    /**
     * Reads and verifies a pack.
     *
     * @param packed the {@code .tar.zst} bytes; not closed
     * @param expected the key the pack must hold, if known
     * @param origin what the pack is, for messages (an object name, a path)
     * @return the verified manifest
     * @throws CorruptedEntryException naming {@code origin} and the file, for any malformed,
     *     hostile, truncated or tampered content
     * @throws IOException the source's own failure, unchanged, or the sink's
     */
    public EntryManifest read(InputStream packed, Optional<ArtifactKey> expected, String origin, FileSink sink)
            throws IOException {
        try {
            return readUnchecked(packed, expected, origin, sink);
        } catch (IOException | RuntimeException e) {
            throw classified(e, origin);
        }
    }

    private EntryManifest readUnchecked(InputStream packed, Optional<ArtifactKey> expected, String origin,
                                        FileSink sink) throws IOException {
        PackTrailer.CheckingInput raw = new PackTrailer.CheckingInput(new SourceInput(packed));
        try (DecompressingPipe pipe = new DecompressingPipe(raw, PackFormat.WINDOW_LOG_MAX)) {
            return readTar(pipe, raw, expected, origin, sink);
        }
    }

    private EntryManifest readTar(DecompressingPipe pipe, PackTrailer.CheckingInput raw,
                                  Optional<ArtifactKey> expected, String origin, FileSink sink) throws IOException {
        BoundedInput bounded = new BoundedInput(pipe, ManifestCodec.MAX_ENCODED_SIZE + HEADER_SLACK);
        TarArchiveInputStream tar = new TarArchiveInputStream(bounded, StandardCharsets.UTF_8.name());
        EntryManifest manifest = readManifest(tar, expected, origin);
        checkDeclared(manifest, origin);
        long declared = manifest.totalSize();
        bounded.limit(bounded.count() + declared + HEADER_SLACK * (manifest.files().size() + 1) + TRAILER_SLACK);
        FileVerifier verifier = new FileVerifier(BUFFER);
        for (EntryFile f : manifest.files()) {
            TarArchiveEntry e = tar.getNextEntry();
            String expectedName = PackFormat.FILES_PREFIX + f.name();
            if (e == null) {
                throw corrupt(origin, "ends before file '" + f.name() + "'");
            }
            if (!e.getName().equals(expectedName)) {
                throw corrupt(origin, "member '" + e.getName() + "' where '" + expectedName + "' was expected");
            }
            checkPlainFile(e, f.executable() ? PackFormat.MODE_EXECUTABLE : PackFormat.MODE_FILE, origin);
            if (e.getSize() != f.size()) {
                throw corrupt(origin, "file '" + f.name() + "' has " + e.getSize() + " bytes, manifest says " + f.size());
            }
            verifier.consume(tar, f, sink, origin);
        }
        TarArchiveEntry extra = tar.getNextEntry();
        if (extra != null) {
            throw corrupt(origin, "member '" + extra.getName() + "' is not in the manifest");
        }
        byte[] tail = new byte[BUFFER];
        int n;
        while ((n = bounded.read(tail)) > 0) {
            for (int i = 0; i < n; i++) {
                if (tail[i] != 0) {
                    throw corrupt(origin, "data after the end of the archive");
                }
            }
        }
        String problem = raw.verify();
        if (problem != null) {
            throw corrupt(origin, problem);
        }
        return manifest;
    }

    /**
     * Reads only a pack's manifest, its first member: it must be well formed, name {@code
     * expected} and declare no more than the limits allow. Nothing after it is read, let alone
     * verified: for a pack whose integrity trailer was checked as it arrived ({@link PackCopier})
     * and whose files are verified by {@link #read} when it is unpacked.
     *
     * @param packed the {@code .tar.zst} bytes; not closed, and read only as far as the manifest
     * @throws CorruptedEntryException naming {@code origin}, for a missing, malformed or foreign manifest
     * @throws IOException the source's own failure, unchanged
     */
    public EntryManifest readManifest(InputStream packed, Optional<ArtifactKey> expected, String origin)
            throws IOException {
        try {
            // No DecompressingPipe: a manifest is a few KiB, decompressed from the first block alone.
            // Recycled input buffers: a pull reads the manifest of every pack it brings in.
            CompressedBound bound = new CompressedBound();
            try (ZstdInputStreamNoFinalizer zstd = new ZstdInputStreamNoFinalizer(
                    bound.compressed(new Unclosed(new SourceInput(packed))), RecyclingBufferPool.INSTANCE)) {
                zstd.setLongMax(PackFormat.WINDOW_LOG_MAX);
                BoundedInput bounded = new BoundedInput(bound.decompressed(zstd),
                        ManifestCodec.MAX_ENCODED_SIZE + HEADER_SLACK);
                EntryManifest manifest = readManifest(new TarArchiveInputStream(bounded, StandardCharsets.UTF_8.name()),
                        expected, origin);
                checkDeclared(manifest, origin);
                return manifest;
            }
        } catch (IOException | RuntimeException e) {
            throw classified(e, origin);
        }
    }

    private EntryManifest readManifest(TarArchiveInputStream tar, Optional<ArtifactKey> expected, String origin)
            throws IOException {
        TarArchiveEntry first = tar.getNextEntry();
        if (first == null || !first.getName().equals(PackFormat.MANIFEST_NAME)) {
            throw corrupt(origin, "first member is " + (first == null ? "missing" : "'" + first.getName() + "'")
                    + ", expected " + PackFormat.MANIFEST_NAME);
        }
        checkPlainFile(first, PackFormat.MODE_FILE, origin);
        if (first.getSize() > ManifestCodec.MAX_ENCODED_SIZE) {
            throw corrupt(origin, "manifest of " + first.getSize() + " bytes is too large");
        }
        EntryManifest manifest = ManifestCodec.decode(tar.readAllBytes(), origin);
        if (expected.isPresent() && !expected.get().equals(manifest.key())) {
            throw corrupt(origin, "holds entry " + manifest.key() + ", expected " + expected.get());
        }
        return manifest;
    }

    private void checkDeclared(EntryManifest manifest, String origin) throws CorruptedEntryException {
        long declared = manifest.totalSize();
        if (declared > limits.maxTotalBytes()) {
            throw corrupt(origin, "declares " + declared + " bytes of files, more than the limit of "
                    + limits.maxTotalBytes());
        }
    }

    private static void checkPlainFile(TarArchiveEntry e, int mode, String origin) throws CorruptedEntryException {
        byte flag = e.getLinkFlag();
        if (flag != TarConstants.LF_NORMAL && flag != TarConstants.LF_OLDNORM || e.isSparse()) {
            throw corrupt(origin, "member '" + e.getName() + "' is not a plain file (type '" + (char) flag + "')");
        }
        if ((e.getMode() & 07777) != (mode & 07777)) {
            throw corrupt(origin, "member '" + e.getName() + "' has mode " + Integer.toOctalString(e.getMode())
                    + ", expected " + Integer.toOctalString(mode & 07777));
        }
    }

    static CorruptedEntryException corrupt(String origin, String what) {
        return new CorruptedEntryException("corrupted pack " + origin + ": " + what);
    }

    /**
     * What to throw for a failure while reading: the source's and the sink's own exceptions
     * unchanged, anything else (malformed content) as a corrupted pack.
     */
    private static IOException classified(Exception e, String origin) {
        if (e instanceof CorruptedEntryException c) {
            return c;
        }
        SourceInput.SourceFailure source = sourceFailure(e);
        if (source != null) {
            return source.original();
        }
        if (e instanceof SinkFailure s) {
            return s.original();
        }
        return new CorruptedEntryException("corrupted pack " + origin + ": " + describe(e), e);
    }

    private static SourceInput.SourceFailure sourceFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SourceInput.SourceFailure s) {
                return s;
            }
        }
        return null;
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    /** Wraps a sink's own failure so it is not mistaken for corrupt input. */
    static final class SinkFailure extends IOException {
        private static final long serialVersionUID = 1L;

        SinkFailure(IOException cause) {
            super(cause.getMessage(), cause);
        }

        IOException original() {
            return (IOException) getCause();
        }
    }
}
