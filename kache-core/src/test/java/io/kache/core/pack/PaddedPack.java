package io.kache.core.pack;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A valid pack padded with zstd skippable frames, as anyone who can write to a bucket could
 * upload it: the padding decompresses to nothing and the integrity trailer is recomputed over it,
 * so only a bound on the compressed bytes refuses it. Streamed, never held in memory, and counting
 * what was read: a test can tell that the reader stopped long before the padding's end.
 */
public final class PaddedPack extends InputStream {

    /** One skippable frame: 1 MiB, as a padder would choose for speed. */
    static final int FRAME = 1 << 20;
    private static final int SKIPPABLE_MAGIC = 0x184D2A51;

    private final InputStream in;
    private final long length;
    private long read;

    private PaddedPack(List<InputStream> parts, long length) {
        this.in = new SequenceInputStream(Collections.enumeration(parts));
        this.length = length;
    }

    /** {@code pack} with {@code frames} MiB of padding between its compressed archive and its trailer. */
    public static PaddedPack after(byte[] pack, long frames) {
        byte[] body = Arrays.copyOf(pack, pack.length - PackTrailer.LENGTH);
        byte[] trailer = trailer(frames, body, true);
        return new PaddedPack(List.of(new ByteArrayInputStream(body), new Padding(frames),
                new ByteArrayInputStream(trailer)), body.length + frames * FRAME + trailer.length);
    }

    /** {@code pack} with {@code frames} MiB of padding before its compressed archive. */
    public static PaddedPack before(byte[] pack, long frames) {
        byte[] body = Arrays.copyOf(pack, pack.length - PackTrailer.LENGTH);
        byte[] trailer = trailer(frames, body, false);
        return new PaddedPack(List.of(new Padding(frames), new ByteArrayInputStream(body),
                new ByteArrayInputStream(trailer)), body.length + frames * FRAME + trailer.length);
    }

    private static byte[] trailer(long frames, byte[] body, boolean bodyFirst) {
        CRC32C crc = new CRC32C();
        if (bodyFirst) {
            crc.update(body);
        }
        byte[] frame = frame();
        for (long i = 0; i < frames; i++) {
            crc.update(frame);
        }
        if (!bodyFirst) {
            crc.update(body);
        }
        return PackTrailer.encode(crc.getValue());
    }

    private static byte[] frame() {
        byte[] frame = new byte[FRAME];
        ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).putInt(SKIPPABLE_MAGIC).putInt(FRAME - 8);
        return frame;
    }

    /** Bytes handed out so far. */
    public long bytesRead() {
        return read;
    }

    /** Bytes of the whole padded pack. */
    public long length() {
        return length;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            read += n;
        }
        return n;
    }

    /** {@code frames} skippable frames, each made as it is read. */
    private static final class Padding extends InputStream {
        private final byte[] frame = frame();
        private long left;
        private int position;

        Padding(long frames) {
            this.left = frames * FRAME;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(len, Math.min(left, FRAME - position));
            System.arraycopy(frame, position, b, off, n);
            position = (position + n) % FRAME;
            left -= n;
            return n;
        }
    }
}
