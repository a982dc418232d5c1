package io.kache.core.hash;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * A small on-disk map from a content's SHA-256 to its size and CRC32C, taken from bytes that were
 * verified to have that SHA-256: {@value #SLOTS} slots of a {@link SlotFile}, shared by every
 * kache process, a slot chosen by the hash's first bytes. A slot that holds another hash is a miss,
 * which only costs a full SHA-256 read.
 */
final class ChecksumTable implements AutoCloseable {

    static final int SLOTS = 1 << 16;
    private static final int PAYLOAD = 44;

    private final SlotFile slots;

    private ChecksumTable(SlotFile slots) {
        this.slots = slots;
    }

    static ChecksumTable open(Path file) throws IOException {
        return new ChecksumTable(SlotFile.open(file, SLOTS, PAYLOAD));
    }

    /** The size and CRC32C recorded for the content {@code sha256} (32 raw bytes), if its slot holds them. */
    Optional<FileChecksum> get(byte[] sha256) throws IOException {
        Optional<ByteBuffer> found = slots.read(slot(sha256));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ByteBuffer rec = found.get();
        byte[] sha = new byte[32];
        rec.get(0, sha);
        if (!Arrays.equals(sha, sha256)) {
            return Optional.empty();
        }
        return Optional.of(new FileChecksum(rec.getLong(32), rec.getInt(40)));
    }

    void put(byte[] sha256, FileChecksum sum) throws IOException {
        ByteBuffer rec = ByteBuffer.allocate(PAYLOAD);
        rec.put(sha256, 0, 32).putLong(sum.size()).putInt(sum.crc32c());
        slots.write(slot(sha256), rec.flip());
    }

    private static long slot(byte[] sha256) {
        return ByteBuffer.wrap(sha256).getLong(0);
    }

    @Override
    public void close() throws IOException {
        slots.close();
    }
}
