package io.kache.core.hash;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * A small on-disk map from {@link FileIdentity} to SHA-256, shared by every kache process on the
 * machine. Direct-mapped: {@value #SLOTS} fixed slots of {@value #RECORD} bytes, a slot chosen by
 * device and inode, a newer record simply overwrites an older one. So a lookup is one positional
 * read in a sparse file, nothing is loaded at start-up, and the file never grows past
 * {@value #SLOTS} × {@value #RECORD} bytes.
 *
 * <p>Processes write without locking. A torn or interleaved record fails its CRC and reads as a
 * miss, which only costs a re-hash.
 */
final class HashTable implements AutoCloseable {

    static final int SLOTS = 1 << 16;
    static final int RECORD = 80;
    private static final int PAYLOAD = 72;

    private final FileChannel channel;

    private HashTable(FileChannel channel) {
        this.channel = channel;
    }

    static HashTable open(Path file) throws IOException {
        return new HashTable(FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.CREATE));
    }

    /** The recorded hash (32 raw bytes) of exactly this identity, if the slot still holds it. */
    Optional<byte[]> get(FileIdentity id) throws IOException {
        ByteBuffer rec = ByteBuffer.allocate(RECORD);
        long pos = offset(id);
        while (rec.hasRemaining()) {
            if (channel.read(rec, pos + rec.position()) < 0) {
                return Optional.empty();
            }
        }
        rec.flip();
        CRC32C crc = new CRC32C();
        crc.update(rec.array(), 0, PAYLOAD);
        if (rec.getInt(PAYLOAD) != (int) crc.getValue()) {
            return Optional.empty();
        }
        if (rec.getLong(0) != id.dev() || rec.getLong(8) != id.ino() || rec.getLong(16) != id.size()
                || rec.getLong(24) != id.mtimeNanos() || rec.getLong(32) != id.ctimeNanos()) {
            return Optional.empty();
        }
        byte[] sha = new byte[32];
        rec.get(40, sha);
        return Optional.of(sha);
    }

    void put(FileIdentity id, byte[] sha) throws IOException {
        ByteBuffer rec = ByteBuffer.allocate(RECORD);
        rec.putLong(id.dev()).putLong(id.ino()).putLong(id.size()).putLong(id.mtimeNanos()).putLong(id.ctimeNanos());
        rec.put(sha, 0, 32);
        CRC32C crc = new CRC32C();
        crc.update(rec.array(), 0, PAYLOAD);
        rec.putInt((int) crc.getValue());
        rec.clear();
        long pos = offset(id);
        while (rec.hasRemaining()) {
            channel.write(rec, pos + rec.position());
        }
    }

    private static long offset(FileIdentity id) {
        long h = id.dev() * 0x9E3779B97F4A7C15L ^ id.ino() * 0xC2B2AE3D27D4EB4FL;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        return (h & (SLOTS - 1)) * (long) RECORD;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
