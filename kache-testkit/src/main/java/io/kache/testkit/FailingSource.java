package io.kache.testkit;

import io.kache.api.ArtifactSource;
import java.io.IOException;
import java.io.InputStream;

/**
 * A source that announces {@code size} bytes but whose stream throws an {@link IOException} after
 * {@code failAfter} of them, every time it is opened: a disk that fails mid-upload. A store must
 * report the failure and leave nothing visible under the key.
 */
public final class FailingSource implements ArtifactSource {

    private final GeneratedSource bytes;
    private final long failAfter;

    public FailingSource(long size, long failAfter) {
        if (failAfter < 0 || failAfter >= size) {
            throw new IllegalArgumentException("failAfter must be in [0, size): " + failAfter);
        }
        this.bytes = new GeneratedSource(size, 7);
        this.failAfter = failAfter;
    }

    @Override
    public InputStream open() {
        InputStream in = bytes.open();
        return new InputStream() {
            private long served;

            @Override
            public int read() throws IOException {
                failIfDue();
                served++;
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                failIfDue();
                int n = in.read(b, off, (int) Math.min(len, failAfter - served));
                served += Math.max(n, 0);
                return n;
            }

            private void failIfDue() throws IOException {
                if (served >= failAfter) {
                    throw new IOException("simulated read failure after " + failAfter + " bytes");
                }
            }
        };
    }

    @Override
    public long size() {
        return bytes.size();
    }

    @Override
    public String toString() {
        return "failing source (" + bytes.size() + " bytes announced, fails after " + failAfter + ")";
    }
}
