package io.kache.core.pack;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Bounds a zstd stream's compressed bytes by what they decompress to. Padding decompresses to
 * nothing (skippable frames, empty frames, empty blocks), so neither {@link BoundedInput}, which
 * counts output, nor zstd stops it: a pack padded so would be read to its end, however long, by a
 * pull or a prefetch. zstd stores no block in more bytes than its content and a 3-byte header, so
 * a real pack's compressed bytes stay within its content plus 1/256 (zstd's compress bound) plus
 * what one read consumes before its output is counted; padding is refused within {@link #SLACK}.
 *
 * <p>Both views belong to the one thread that decompresses.
 */
final class CompressedBound {

    /** Most output one read returns, so the input it consumes before that output counts stays small. */
    private static final int STEP = 128 * 1024;
    /**
     * Input allowed ahead of the output counted so far: a frame header, a block zstd holds
     * decoded but not yet returned, zstd-jni's read-ahead buffer (each about 128 KiB), one
     * {@link #STEP} and the trailer fit twice.
     */
    static final long SLACK = 1L << 20;

    private long compressed;
    private long decompressed;

    /** {@code raw}, counted: a read fails once the compressed bytes run ahead of the output. */
    InputStream compressed(InputStream raw) {
        return new Compressed(raw);
    }

    /** {@code zstd}'s output, counted. */
    InputStream decompressed(InputStream zstd) {
        return new Decompressed(zstd);
    }

    private void consumed(long n) throws PaddingException {
        compressed += n;
        long allowed = decompressed + (decompressed >>> 8) + SLACK;
        if (compressed > allowed) {
            throw new PaddingException("compressed data runs ahead of its content: more than " + allowed
                    + " bytes read for " + decompressed + " bytes of content (padding such as skippable frames)");
        }
    }

    private final class Compressed extends FilterInputStream {
        Compressed(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                consumed(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                consumed(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = in.skip(Math.min(n, STEP));
            consumed(s);
            return s;
        }
    }

    private final class Decompressed extends FilterInputStream {
        Decompressed(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                decompressed++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, Math.min(len, STEP));
            if (n > 0) {
                decompressed += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = in.skip(Math.min(n, STEP));
            decompressed += s;
            return s;
        }
    }

    /** The compressed bytes ran ahead of the content. */
    static final class PaddingException extends IOException {
        private static final long serialVersionUID = 1L;

        PaddingException(String message) {
            super(message);
        }
    }
}
