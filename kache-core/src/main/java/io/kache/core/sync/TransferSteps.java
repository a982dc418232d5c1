package io.kache.core.sync;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactSource;
import io.kache.api.ArtifactStore;
import io.kache.api.CorruptedEntryException;
import io.kache.api.StoreException;
import io.kache.core.store.LocalStore;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves one entry, one attempt at a time. Pulls stream straight from the remote into a verified,
 * atomic import; pushes export the entry once to a temporary pack and store that file, which the
 * remote may read again for retries and multipart uploads.
 */
final class TransferSteps {

    private static final Logger LOG = LoggerFactory.getLogger(TransferSteps.class);

    /**
     * What one step did.
     *
     * @param bytes packed bytes moved
     * @param skipped why there was nothing to do, or {@code null} when the entry moved
     */
    record Step(long bytes, String skipped) {
        static Step skip(String why) {
            return new Step(0, why);
        }
    }

    private final ArtifactStore remote;
    private final LocalStore local;
    private final int compressionLevel;
    private final Path tempDir;

    TransferSteps(ArtifactStore remote, LocalStore local, int compressionLevel, Path tempDir) {
        this.remote = remote;
        this.local = local;
        this.compressionLevel = compressionLevel;
        this.tempDir = tempDir;
    }

    /**
     * Downloads {@code key} into the local store as a pack, unpacked on first use: its integrity
     * is checked while it streams, and it is visible only when complete.
     *
     * @throws CorruptedEntryException if the object is not a valid pack of {@code key} (nothing kept)
     * @throws StoreException for the remote's failures and the local store's (wrapped by the remote)
     */
    Step pull(ArtifactKey key) throws IOException {
        // A build or another sync may have brought it in since the plan.
        if (local.contains(key)) {
            return Step.skip("already in the local store");
        }
        long[] received = new long[1];
        boolean found = remote.load(key, (in, size) -> {
            try (Counting counting = new Counting(in, received)) {
                local.storePack(key, counting);
            }
        });
        return found ? new Step(received[0], null) : Step.skip("no longer in the remote");
    }

    /** Writes {@code key}'s pack to a temp file; {@code null} if the entry is gone from the local store. */
    Path export(ArtifactKey key) throws IOException {
        Path temp = Files.createTempFile(tempDir, key.crateName() + "-" + key.shortKey() + "-", ".tar.zst");
        boolean found = false;
        try (OutputStream out = Files.newOutputStream(temp)) {
            found = local.exportPack(key, out, compressionLevel);
        } catch (CorruptedEntryException e) {
            // A blob gone mid-export: evicted by a concurrent gc, or damaged. The store dropped the entry.
            LOG.warn("local entry {} could not be exported and was dropped: {}", key, e.getMessage());
        } finally {
            if (!found) {
                Files.deleteIfExists(temp);
            }
        }
        return found ? temp : null;
    }

    /** Stores an exported pack under {@code key}. */
    long store(ArtifactKey key, Path pack) throws StoreException, IOException {
        ArtifactSource source = ArtifactSource.ofFile(pack);
        remote.store(key, source);
        return source.size();
    }

    private static final class Counting extends FilterInputStream {
        private final long[] count;

        Counting(InputStream in, long[] count) {
            super(in);
            this.count = count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count[0]++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count[0] += n;
            }
            return n;
        }

        @Override
        public void close() {
            // The remote owns and closes the stream.
        }
    }
}
