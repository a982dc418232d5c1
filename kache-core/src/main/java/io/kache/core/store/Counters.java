package io.kache.core.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;

/**
 * Counters shared by every process using the store: a file of {@value #SLOTS} big-endian longs,
 * each update a read-modify-write under an exclusive OS lock on that file, plus a small text file
 * of passthrough counts by reason, updated under the same lock.
 */
final class Counters {

    static final int HITS = 0;
    static final int MISSES = 1;
    static final int PASSTHROUGHS = 2;
    static final int BYTES_RESTORED = 3;
    /** Approximate bytes in the store, kept by writers so a put need not walk the store. */
    static final int SIZE_ESTIMATE = 4;
    /** When the usage counters were last reset (epoch millis), 0 if never. */
    static final int COUNTING_SINCE = 5;
    static final int SLOTS = 8;

    private static final int MAX_REASONS = 64;
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final StoreLayout layout;
    private final Path file;
    private final Path reasonsFile;

    Counters(StoreLayout layout) {
        this.layout = layout;
        this.file = layout.counters();
        this.reasonsFile = layout.passthroughReasons();
    }

    /** Adds {@code delta} to slot {@code a} and {@code deltaB} to slot {@code b}; returns the new values. */
    long[] add(int a, long delta, int b, long deltaB) throws IOException {
        long[] d = new long[SLOTS];
        d[a] += delta;
        d[b] += deltaB;
        return update(d, -1, 0, null);
    }

    long[] add(int slot, long delta) throws IOException {
        long[] d = new long[SLOTS];
        d[slot] = delta;
        return update(d, -1, 0, null);
    }

    long[] set(int slot, long value) throws IOException {
        return update(new long[SLOTS], slot, value, null);
    }

    /**
     * Zeroes hits, misses, passthroughs (and their reasons) and bytes restored, and notes when; the
     * size estimate is the store's, not usage, and stays.
     */
    void resetUsage(long nowMillis) throws IOException {
        update(null, COUNTING_SINCE, nowMillis, null);
        Files.deleteIfExists(reasonsFile);
    }

    void passthrough(String reason) throws IOException {
        long[] d = new long[SLOTS];
        d[PASSTHROUGHS] = 1;
        update(d, -1, 0, sanitize(reason));
    }

    /** Current values (all zero when nothing was counted yet). */
    long[] read() throws IOException {
        // Under the JVM mutex: closing any channel of a file drops this process's locks on it.
        Semaphore mutex = JvmLocks.mutex(file);
        if (!FileLocking.acquire(mutex, FileLocking.deadline(WAIT))) {
            throw new LockTimeoutException("timed out waiting for the counters lock " + file);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return load(ch);
        } catch (NoSuchFileException e) {
            return new long[SLOTS];
        } finally {
            mutex.release();
        }
    }

    /** Passthrough counts by reason. */
    Map<String, Long> reasons() throws IOException {
        Map<String, Long> m = new TreeMap<>();
        try {
            for (String line : Files.readAllLines(reasonsFile, StandardCharsets.UTF_8)) {
                int tab = line.indexOf('\t');
                if (tab > 0) {
                    try {
                        m.put(line.substring(tab + 1), Long.parseLong(line.substring(0, tab)));
                    } catch (NumberFormatException e) {
                        // A torn line from an old crash; the count restarts.
                    }
                }
            }
        } catch (NoSuchFileException e) {
            return m;
        }
        return m;
    }

    /**
     * Adds {@code delta} to the stored values (a null delta zeroes the usage counters instead),
     * then sets {@code setSlot} (if not -1) to {@code setValue}. Plain arrays, no lambdas: counting
     * a hit runs in a fresh JVM.
     */
    private long[] update(long[] delta, int setSlot, long setValue, String reason) throws IOException {
        Semaphore mutex = JvmLocks.mutex(file);
        long deadline = FileLocking.deadline(WAIT);
        if (!FileLocking.acquire(mutex, deadline)) {
            throw new LockTimeoutException("timed out waiting for the counters lock " + file);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            Optional<FileLock> lock = FileLocking.lock(ch, false, deadline);
            if (lock.isEmpty()) {
                throw new LockTimeoutException("timed out waiting for the counters lock " + file);
            }
            long[] v = load(ch);
            if (delta == null) {
                v[HITS] = 0;
                v[MISSES] = 0;
                v[PASSTHROUGHS] = 0;
                v[BYTES_RESTORED] = 0;
            } else {
                for (int i = 0; i < SLOTS; i++) {
                    v[i] += delta[i];
                }
            }
            if (setSlot >= 0) {
                v[setSlot] = setValue;
            }
            ByteBuffer buf = ByteBuffer.allocate(SLOTS * 8);
            for (long x : v) {
                buf.putLong(x);
            }
            buf.flip();
            while (buf.hasRemaining()) {
                ch.write(buf, buf.position());
            }
            if (reason != null) {
                Map<String, Long> m = reasons();
                if (m.containsKey(reason) || m.size() < MAX_REASONS) {
                    m.merge(reason, 1L, Long::sum);
                } else {
                    m.merge("other", 1L, Long::sum);
                }
                StringBuilder b = new StringBuilder();
                m.forEach((k, n) -> b.append(n).append('\t').append(k).append('\n'));
                layout.writeAtomically(reasonsFile, b);
            }
            return v;
        } finally {
            mutex.release();
        }
    }

    private static long[] load(FileChannel ch) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(SLOTS * 8);
        while (buf.hasRemaining() && ch.read(buf, buf.position()) > 0) {
            // read until full or end of file
        }
        buf.flip();
        long[] v = new long[SLOTS];
        for (int i = 0; i < SLOTS && buf.remaining() >= 8; i++) {
            v[i] = buf.getLong();
        }
        return v;
    }

    private static String sanitize(String reason) {
        String r = reason == null ? "" : reason.strip();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < r.length() && b.length() < 80; i++) {
            char c = r.charAt(i);
            b.append(Character.isLetterOrDigit(c) || " _-.:=/".indexOf(c) >= 0 ? c : '_');
        }
        return b.length() == 0 ? "unspecified" : b.toString();
    }
}
