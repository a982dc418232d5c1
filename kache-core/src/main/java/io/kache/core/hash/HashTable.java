package io.kache.core.hash;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A small on-disk map from {@link FileIdentity} to SHA-256, shared by every kache process on the
 * machine: {@value #SLOTS} slots of a {@link SlotFile}, a slot chosen by device and inode. A record
 * is the identity's five fields and the hash; a slot that holds another identity is a miss, which
 * only costs a re-hash.
 */
final class HashTable implements AutoCloseable {

    static final int SLOTS = 1 << 16;
    private static final int PAYLOAD = 72;

    private final SlotFile slots;

    private HashTable(SlotFile slots) {
        this.slots = slots;
    }

    static HashTable open(Path file) throws IOException {
        return new HashTable(SlotFile.open(file, SLOTS, PAYLOAD));
    }

    /**
     * A hash the slot of an identity's inode holds for it.
     *
     * @param sha256 the hash, 32 raw bytes
     * @param exact whether it was recorded for exactly this identity; if not, only the ctime differs
     *     (device, inode, size and mtime agree): a hard link came or went, or a chmod, or a write
     *     that put the mtime back, which only reading the file can tell apart
     */
    record Recorded(byte[] sha256, boolean exact) {
    }

    /** What the slot holds for this identity or for the same inode, size and mtime under another ctime. */
    Optional<Recorded> find(FileIdentity id) throws IOException {
        Optional<ByteBuffer> found = slots.read(slot(id));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ByteBuffer rec = found.get();
        if (rec.getLong(0) != id.dev() || rec.getLong(8) != id.ino() || rec.getLong(16) != id.size()
                || rec.getLong(24) != id.mtimeNanos()) {
            return Optional.empty();
        }
        byte[] sha = new byte[32];
        rec.get(40, sha);
        return Optional.of(new Recorded(sha, rec.getLong(32) == id.ctimeNanos()));
    }

    void put(FileIdentity id, byte[] sha) throws IOException {
        ByteBuffer rec = ByteBuffer.allocate(PAYLOAD);
        rec.putLong(id.dev()).putLong(id.ino()).putLong(id.size()).putLong(id.mtimeNanos()).putLong(id.ctimeNanos());
        rec.put(sha, 0, 32);
        slots.write(slot(id), rec.flip());
    }

    private static long slot(FileIdentity id) {
        return id.dev() * 0x9E3779B97F4A7C15L ^ id.ino() * 0xC2B2AE3D27D4EB4FL;
    }

    @Override
    public void close() throws IOException {
        slots.close();
    }
}
