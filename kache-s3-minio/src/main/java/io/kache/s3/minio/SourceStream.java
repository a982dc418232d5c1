package io.kache.s3.minio;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Wraps the artifact being uploaded so that its own read failures are told apart from network
 * failures: they are reported as such and never retried.
 */
final class SourceStream extends FilterInputStream {

    SourceStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        try {
            return super.read();
        } catch (IOException e) {
            throw new SourceReadException(e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return super.read(b, off, len);
        } catch (IOException e) {
            throw new SourceReadException(e);
        }
    }

    /** Whether {@code failure} came from reading the source. */
    static boolean failedReading(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SourceReadException) {
                return true;
            }
        }
        return false;
    }

    /** An I/O failure of the local artifact, not of the network. */
    static final class SourceReadException extends IOException {
        private static final long serialVersionUID = 1L;

        SourceReadException(IOException cause) {
            super("reading the artifact failed: " + cause.getMessage(), cause);
        }
    }
}
