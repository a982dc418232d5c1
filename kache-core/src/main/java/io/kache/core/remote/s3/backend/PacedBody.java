package io.kache.core.remote.s3.backend;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;

/**
 * The body of one GET, which must keep up a minimum rate. The clients' socket timeout fails a read
 * that waits {@code timeout} without a byte, but a server or network that sends a byte now and then
 * resets it with each one: a 210 KB entry at a byte every 2 s would take five days. So once the
 * answer's head is in, the body has {@code timeout} of grace, then must have come at
 * {@link #MIN_BYTES_PER_SECOND} on average; a read that returns later fails with an
 * {@link IOException} saying so, and the caller abandons the connection. A body of {@code n} bytes
 * therefore ends within {@code timeout + n / MIN_BYTES_PER_SECOND}, plus one read of at most
 * {@code timeout}.
 *
 * <p>An interrupted thread's read fails too, with an {@link InterruptedIOException}.
 *
 * <p>The rate is per transfer: with {@code s3_concurrency} 16, a link of 1.1 Mbit/s (16 times
 * 8 KiB/s) keeps every one of them above it.
 */
public final class PacedBody extends FilterInputStream {

    /** The slowest a body may come, after the grace: 8 KiB/s. */
    public static final long MIN_BYTES_PER_SECOND = 8 * 1024;

    private final long length;
    private final long graceNanos;
    private final long begin = System.nanoTime();
    private long received;

    private PacedBody(InputStream in, long length, Duration timeout) {
        super(in);
        this.length = length;
        this.graceNanos = timeout.toNanos();
    }

    /**
     * @param length the announced length, or {@code -1}
     * @param timeout the remote's timeout: the grace before the rate counts
     */
    public static InputStream of(InputStream body, long length, Duration timeout) {
        return new PacedBody(body, length, timeout);
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            arrived(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int count) throws IOException {
        int n = super.read(buffer, offset, count);
        if (n > 0) {
            arrived(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        if (skipped > 0) {
            arrived(skipped);
        }
        return skipped;
    }

    private void arrived(long bytes) throws IOException {
        received += bytes;
        if (Thread.currentThread().isInterrupted()) {
            // A blocking socket read ignores interruption, a body that trickles never times out: a
            // sync whose client is gone (the server interrupts its transfers) stops here.
            throw new InterruptedIOException("the download was interrupted after " + received + " bytes");
        }
        long elapsed = System.nanoTime() - begin;
        if (elapsed - graceNanos > received * 1e9 / MIN_BYTES_PER_SECOND) {
            throw new IOException("the body came slower than " + MIN_BYTES_PER_SECOND / 1024
                    + " KiB/s: " + received + (length >= 0 ? " of " + length : "") + " bytes in "
                    + String.format(java.util.Locale.ROOT, "%.1f", elapsed / 1e9) + " s (a trickling server, proxy or"
                    + " network); the download was given up");
        }
    }
}
