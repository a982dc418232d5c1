package io.kache.core.hash;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * The size and CRC32C of each content verified by its SHA-256, in a {@link ChecksumTable} opened on
 * first use: what {@link ContentHashes#hasContent} compares a file whose identity moved with. A
 * fact about content, never stale. An optimisation only: a table that cannot be opened, read or
 * written is no table, and files are then checked through SHA-256. Thread-safe.
 */
final class ContentChecksums implements AutoCloseable {

    private final Path file;
    private ChecksumTable table;
    private boolean failed;

    /** @param file the table's file, or null for none */
    ContentChecksums(Path file) {
        this.file = file;
        this.failed = file == null;
    }

    /** The size and CRC32C recorded for the content {@code sha256} (32 raw bytes), if known. */
    Optional<FileChecksum> get(byte[] sha256) {
        ChecksumTable t = table();
        if (t == null) {
            return Optional.empty();
        }
        try {
            return t.get(sha256);
        } catch (IOException e) {
            debug("unreadable", e);
            return Optional.empty();
        }
    }

    /** Records {@code sum} for the content {@code sha256}: only for bytes verified to have that hash. */
    void put(byte[] sha256, FileChecksum sum) {
        ChecksumTable t = table();
        if (t == null) {
            return;
        }
        try {
            t.put(sha256, sum);
        } catch (IOException e) {
            debug("not writable", e);
        }
    }

    private synchronized ChecksumTable table() {
        if (table == null && !failed) {
            try {
                table = ChecksumTable.open(file);
            } catch (IOException e) {
                failed = true;
                debug("unavailable, checking by SHA-256", e);
            }
        }
        return table;
    }

    private void debug(String what, IOException e) {
        LoggerFactory.getLogger(ContentChecksums.class).debug("checksum table {} {}: {}", file, what, e.toString());
    }

    @Override
    public synchronized void close() throws IOException {
        failed = true;
        if (table != null) {
            table.close();
            table = null;
        }
    }
}
