package io.kache.s3.aws;

import io.kache.api.ArtifactSource;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import software.amazon.awssdk.http.ContentStreamProvider;

/**
 * {@code length} bytes of an {@link ArtifactSource} from {@code offset}, re-opened for every
 * attempt: the SDK reads a body more than once (payload signing over http, retries), and a
 * multipart upload sends one slice per part.
 */
final class SourceSlice implements ContentStreamProvider {

    private final ArtifactSource source;
    private final long offset;
    private final long length;
    private InputStream open;

    SourceSlice(ArtifactSource source, long offset, long length) {
        this.source = source;
        this.offset = offset;
        this.length = length;
    }

    @Override
    public synchronized InputStream newStream() {
        closeQuietly();
        try {
            InputStream in = source.open();
            in.skipNBytes(offset);
            open = new Bounded(in, length);
            return open;
        } catch (IOException e) {
            throw new UncheckedIOException(new SourceReadException("opening " + source + " failed", e));
        }
    }

    private void closeQuietly() {
        if (open != null) {
            try {
                open.close();
            } catch (IOException ignored) {
                // The previous attempt's stream is finished with; a close failure changes nothing.
            }
            open = null;
        }
    }

    /** Whether {@code failure} came from reading the source rather than from the network. */
    static boolean failedReading(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SourceReadException) {
                return true;
            }
        }
        return false;
    }

    /** Marks an I/O failure of the local source, so it is not reported as a network problem. */
    static final class SourceReadException extends IOException {
        private static final long serialVersionUID = 1L;

        SourceReadException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Exactly {@code remaining} bytes: a source that ends early is an error, not a short object. */
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
