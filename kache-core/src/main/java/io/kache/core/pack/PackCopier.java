package io.kache.core.pack;

import io.kache.api.CorruptedEntryException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;

/**
 * Copies a pack's bytes as they are, checking its integrity trailer on the way: no
 * decompression, so a pulled pack costs little more than its download. Any changed, missing or
 * extra byte is caught here; the files' SHA-256s are checked later, when the pack is unpacked.
 */
public final class PackCopier {

    /** Whole buffers per write: fewer, larger writes cost the page cache less. */
    private static final int BUFFER = 256 * 1024;

    private PackCopier() {
    }

    /**
     * Bytes of a pack's head kept in memory: the first read buffer, which holds the first zstd
     * block (at most 128 KiB compressed) and with it the manifest of all but extreme entries.
     */
    public static final int HEAD = BUFFER;

    /**
     * A copied pack.
     *
     * @param size bytes copied
     * @param head its first bytes (at most {@value #HEAD}), where its manifest is: read from here,
     *     not from the file again
     */
    public record Copied(long size, byte[] head) {
    }

    /**
     * Copies {@code packed} to its end into {@code out}.
     *
     * @param maxBytes longer input is refused (an endless stream must not fill the disk)
     * @param origin what the pack is, for messages
     * @throws CorruptedEntryException naming {@code origin}, if the trailer is missing or does not
     *     match, or the pack is longer than {@code maxBytes}
     * @throws IOException the source's or the channel's own failure, unchanged
     */
    public static Copied copy(InputStream packed, WritableByteChannel out, long maxBytes, String origin)
            throws IOException {
        PackTrailer.CheckingInput checking = new PackTrailer.CheckingInput(packed);
        byte[] head = null;
        byte[] buf = new byte[BUFFER];
        long total = 0;
        int n;
        // Whole buffers: readNBytes returns a short count only at the end.
        while ((n = checking.readNBytes(buf, 0, buf.length)) > 0) {
            total += n;
            if (total > maxBytes) {
                throw PackReader.corrupt(origin, "is longer than the limit of " + maxBytes + " bytes");
            }
            write(buf, n, out);
            if (head == null && n < buf.length) {
                head = Arrays.copyOf(buf, n);
            } else if (head == null) {
                // The full first buffer is handed over as it is; later reads go to another.
                head = buf;
                buf = new byte[BUFFER];
            }
        }
        String problem = checking.verify();
        if (problem != null) {
            throw PackReader.corrupt(origin, problem);
        }
        return new Copied(total, head == null ? new byte[0] : head);
    }

    private static void write(byte[] bytes, int n, WritableByteChannel out) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes, 0, n);
        while (b.hasRemaining()) {
            out.write(b);
        }
    }
}
