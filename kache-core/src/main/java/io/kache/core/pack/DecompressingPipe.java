package io.kache.core.pack;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Decompresses on a background thread while the caller parses, hashes and writes: unpacking
 * then takes about as long as the slower of the two halves instead of their sum, as
 * {@code zstd -d | tar -x} does with two processes.
 *
 * <p>Decompressed bytes travel in chunks through a small bounded queue, so memory stays at a few
 * MiB whatever the pack's size. Failures of the background thread surface from {@link #read}.
 */
final class DecompressingPipe extends InputStream {

    private static final int CHUNK = 1 << 20;
    private static final int QUEUED = 4;

    private record Chunk(byte[] data, int length, IOException error) {
        boolean end() {
            return data == null && error == null;
        }
    }

    private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(QUEUED);
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(QUEUED + 2);
    private final Thread producer;
    private Chunk current;
    private int position;
    private boolean finished;

    DecompressingPipe(InputStream compressed, int windowLogMax) {
        producer = new Thread(() -> produce(compressed, windowLogMax), "kache-unpack");
        producer.setDaemon(true);
        producer.start();
    }

    private void produce(InputStream compressed, int windowLogMax) {
        try {
            // The caller owns the compressed stream (and checks its trailer afterwards): do not close it.
            CompressedBound bound = new CompressedBound();
            ZstdInputStreamNoFinalizer zstd = new ZstdInputStreamNoFinalizer(bound.compressed(new Unclosed(compressed)));
            try {
                zstd.setLongMax(windowLogMax);
                InputStream content = bound.decompressed(zstd);
                while (true) {
                    byte[] buf = free.poll();
                    if (buf == null) {
                        buf = new byte[CHUNK];
                    }
                    int n = content.readNBytes(buf, 0, buf.length);
                    if (n > 0) {
                        full.put(new Chunk(buf, n, null));
                    }
                    if (n < buf.length) {
                        break;
                    }
                }
            } finally {
                zstd.close();
            }
            full.put(new Chunk(null, 0, null));
        } catch (IOException e) {
            offer(new Chunk(null, 0, e));
        } catch (RuntimeException | LinkageError e) {
            // A LinkageError too (zstd's native library cannot load, say on a noexec /tmp): the
            // reader must hear of it, or it waits for the next chunk for ever.
            offer(new Chunk(null, 0, new IOException(e.toString(), e)));
        } catch (InterruptedException e) {
            // The reader gave up; nobody is waiting for more.
        }
    }

    private void offer(Chunk c) {
        try {
            full.put(c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!advance()) {
            return -1;
        }
        int n = Math.min(len, current.length() - position);
        System.arraycopy(current.data(), position, b, off, n);
        position += n;
        return n;
    }

    private boolean advance() throws IOException {
        if (finished) {
            return false;
        }
        if (current != null && position < current.length()) {
            return true;
        }
        if (current != null) {
            free.offer(current.data());
            current = null;
        }
        Chunk next;
        try {
            next = full.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while unpacking");
        }
        if (next.error() != null) {
            finished = true;
            throw next.error();
        }
        if (next.end()) {
            finished = true;
            return false;
        }
        current = next;
        position = 0;
        return true;
    }

    /** Stops the background thread if it is still running; idempotent. */
    @Override
    public void close() {
        finished = true;
        producer.interrupt();
        full.clear();
    }
}
