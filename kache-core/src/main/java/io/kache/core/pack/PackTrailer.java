package io.kache.core.pack;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * A CRC32C of a pack's compressed bytes, appended as a zstd skippable frame: {@code zstd -d}
 * ignores it, kache checks it. zstd's own checksum covers only the decompressed content, so a
 * changed byte in a frame header (say the window size) could otherwise pass unnoticed; with the
 * trailer, any changed byte (any burst up to 32 bits) is detected. Tampering is not its concern:
 * every file is checked against its SHA-256 anyway. CRC32C because it is nearly free
 * (a CPU instruction), unlike a second SHA-256 pass over the compressed bytes.
 */
final class PackTrailer {

    /** A skippable-frame magic number (0x184D2A50..5F are reserved for this). */
    static final int MAGIC = 0x184D2A5E;
    private static final byte[] TAG = "KACHECRC".getBytes(StandardCharsets.US_ASCII);
    static final int PAYLOAD = TAG.length + 4;
    static final int LENGTH = 8 + PAYLOAD;

    private PackTrailer() {
    }

    /** The trailer bytes for compressed content with checksum {@code crc}. */
    static byte[] encode(long crc) {
        ByteBuffer b = ByteBuffer.allocate(LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).putInt(PAYLOAD).put(TAG).putInt((int) crc);
        return b.array();
    }

    /**
     * Passes the raw pack through while hashing all but its last {@link #LENGTH} bytes, which
     * are kept to be compared with the hash at the end.
     */
    static final class CheckingInput extends FilterInputStream {
        private final CRC32C digest = new CRC32C();
        private final byte[] tail = new byte[LENGTH];
        private int tailLength;

        CheckingInput(InputStream in) {
            super(in);
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
                hold(b, off, n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[8192];
            long done = 0;
            while (done < n) {
                int r = read(buf, 0, (int) Math.min(buf.length, n - done));
                if (r < 0) {
                    break;
                }
                done += r;
            }
            return done;
        }

        private void hold(byte[] b, int off, int n) {
            int total = tailLength + n;
            int release = total - LENGTH;
            if (release <= 0) {
                System.arraycopy(b, off, tail, tailLength, n);
                tailLength = total;
                return;
            }
            int fromTail = Math.min(release, tailLength);
            digest.update(tail, 0, fromTail);
            digest.update(b, off, release - fromTail);
            // What is kept: the rest of the old tail, then the end of the new bytes.
            byte[] kept = new byte[LENGTH];
            int keptFromTail = tailLength - fromTail;
            System.arraycopy(tail, fromTail, kept, 0, keptFromTail);
            System.arraycopy(b, off + n - (LENGTH - keptFromTail), kept, keptFromTail, LENGTH - keptFromTail);
            System.arraycopy(kept, 0, tail, 0, LENGTH);
            tailLength = LENGTH;
        }

        /** Reads to the end and checks the trailer; returns a problem, or null when it matches. */
        String verify() throws IOException {
            byte[] buf = new byte[8192];
            long extra = 0;
            int n;
            while ((n = read(buf, 0, buf.length)) > 0) {
                extra += n;
            }
            if (extra > 0) {
                return extra + " bytes after the compressed data";
            }
            if (tailLength < LENGTH) {
                return "missing integrity trailer";
            }
            if (!Arrays.equals(tail, encode(digest.getValue()))) {
                return "integrity trailer does not match the compressed bytes";
            }
            return null;
        }
    }
}
