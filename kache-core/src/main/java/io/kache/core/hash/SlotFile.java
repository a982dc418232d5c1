package io.kache.core.hash;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * A file of fixed-size records in direct-mapped slots, shared by every kache process on the machine
 * without locking: a record is its payload, the payload's CRC32C and four bytes of padding, and a
 * slot is chosen by a 64-bit hash of the record's key. A newer record simply overwrites an older
 * one, so a lookup is one positional read in a sparse file, nothing is loaded at start-up and the
 * file never grows past {@code slots × (payload + 8)} bytes. A torn or interleaved record fails its
 * CRC and reads as absent; whoever reads a payload compares its key part with what it looks for.
 */
final class SlotFile implements AutoCloseable {

    private final FileChannel channel;
    private final int slots;
    private final int payload;
    private final int record;

    private SlotFile(FileChannel channel, int slots, int payload) {
        this.channel = channel;
        this.slots = slots;
        this.payload = payload;
        this.record = payload + 8;
    }

    static SlotFile open(Path file, int slots, int payload) throws IOException {
        if (Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two: " + slots);
        }
        return new SlotFile(FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.CREATE), slots, payload);
    }

    /** The payload in the slot of {@code keyHash} (positioned at 0, limit at its end), if whole. */
    Optional<ByteBuffer> read(long keyHash) throws IOException {
        ByteBuffer rec = ByteBuffer.allocate(record);
        long pos = offset(keyHash);
        while (rec.hasRemaining()) {
            if (channel.read(rec, pos + rec.position()) < 0) {
                return Optional.empty();
            }
        }
        CRC32C crc = new CRC32C();
        crc.update(rec.array(), 0, payload);
        if (rec.getInt(payload) != (int) crc.getValue()) {
            return Optional.empty();
        }
        return Optional.of(ByteBuffer.wrap(rec.array(), 0, payload).slice());
    }

    /** Writes {@code body} (exactly the payload's size, from its position) into the slot of {@code keyHash}. */
    void write(long keyHash, ByteBuffer body) throws IOException {
        if (body.remaining() != payload) {
            throw new IllegalArgumentException("a payload has " + payload + " bytes, not " + body.remaining());
        }
        ByteBuffer rec = ByteBuffer.allocate(record);
        rec.put(body);
        CRC32C crc = new CRC32C();
        crc.update(rec.array(), 0, payload);
        rec.putInt((int) crc.getValue());
        rec.clear();
        long pos = offset(keyHash);
        while (rec.hasRemaining()) {
            channel.write(rec, pos + rec.position());
        }
    }

    private long offset(long keyHash) {
        long h = keyHash;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        return (h & (slots - 1)) * (long) record;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
