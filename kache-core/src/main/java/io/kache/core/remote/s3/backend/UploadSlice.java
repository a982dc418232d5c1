package io.kache.core.remote.s3.backend;

import io.kache.api.ArtifactSource;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * {@code length} bytes of an {@link ArtifactSource} from {@code offset}, opened afresh for every
 * attempt: a client reads a body more than once (payload signing, retries), and a multipart
 * upload sends one slice per part. Failures of the source itself, opening or reading, are
 * {@link SourceReadException}s, so a backend reports them as such and never retries them as if
 * the network had failed.
 */
public record UploadSlice(ArtifactSource source, long offset, long length) {

    public UploadSlice {
        Objects.requireNonNull(source, "source");
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("offset and length must not be negative: " + offset + ", " + length);
        }
    }

    /** The whole artifact. */
    public static UploadSlice whole(ArtifactSource source) {
        return new UploadSlice(source, 0, source.size());
    }

    /**
     * A new stream of exactly the slice's bytes: a source that ends early fails instead of making
     * a short object.
     *
     * @throws SourceReadException if the source cannot be opened or skipped to the offset
     */
    public InputStream open() throws SourceReadException {
        try {
            InputStream in = source.open();
            in.skipNBytes(offset);
            return new Bounded(in, length);
        } catch (IOException e) {
            throw new SourceReadException("opening " + source + " failed", e);
        }
    }

    /** Whether {@code failure} came from reading the source rather than from the network. */
    public static boolean failedReading(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SourceReadException) {
                return true;
            }
        }
        return false;
    }

    /** An I/O failure of the local artifact, not of the network. */
    public static final class SourceReadException extends IOException {
        private static final long serialVersionUID = 1L;

        SourceReadException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Exactly {@code remaining} bytes, read failures marked as the source's. */
    private static final class Bounded extends FilterInputStream {
        private long remaining;

        Bounded(InputStream in, long remaining) {
            super(in);
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == 1 ? one[0] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining == 0) {
                return -1;
            }
            int n;
            try {
                n = super.read(b, off, (int) Math.min(len, remaining));
            } catch (IOException e) {
                throw new SourceReadException("reading the artifact failed", e);
            }
            if (n < 0) {
                throw new SourceReadException("the artifact ended " + remaining + " bytes early", null);
            }
            remaining -= n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(Math.min(n, remaining));
            remaining -= skipped;
            return skipped;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(super.available(), remaining);
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
