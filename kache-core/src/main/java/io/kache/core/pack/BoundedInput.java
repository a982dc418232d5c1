package io.kache.core.pack;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts decompressed bytes and fails once they pass a limit the reader raises as it learns what
 * the pack declares: a zstd bomb or endless padding stops here, not on a full disk.
 */
final class BoundedInput extends FilterInputStream {

    private long count;
    private long limit;

    BoundedInput(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    void limit(long newLimit) {
        this.limit = newLimit;
    }

    long count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            add(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            add(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long s = super.skip(n);
        add(s);
        return s;
    }

    private void add(long n) throws IOException {
        count += n;
        if (count > limit) {
            throw new LimitExceededException("pack expands beyond " + limit + " bytes, more than it declares");
        }
    }

    /** The expansion limit was passed. */
    static final class LimitExceededException extends IOException {
        private static final long serialVersionUID = 1L;

        LimitExceededException(String message) {
            super(message);
        }
    }
}
