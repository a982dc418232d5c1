package io.kache.core.store;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The store-wide reader/writer lock between writers and garbage collection. Writers (put, import)
 * hold it shared from their first blob to their published manifest, so a collector, which holds it
 * exclusively, never deletes a blob that an entry is about to reference. Lookups and restores do
 * not take it: a restore racing an eviction fails and the build falls back to rustc.
 *
 * <p>One instance per lock file per JVM: threads share the OS lock, which is per process.
 */
final class StoreLock {

    private static final ConcurrentHashMap<Path, StoreLock> INSTANCES = new ConcurrentHashMap<>();

    private final Path file;
    private final ReentrantReadWriteLock jvm = new ReentrantReadWriteLock(true);
    private FileChannel channel;
    private FileLock fileLock;
    private int sharedHolders;

    private StoreLock(Path file) {
        this.file = file;
    }

    static StoreLock of(Path file) {
        return INSTANCES.computeIfAbsent(file.toAbsolutePath().normalize(), StoreLock::new);
    }

    /** Holds the lock shared until the handle is closed. */
    Handle shared(Duration maxWait) throws IOException {
        long deadline = FileLocking.deadline(maxWait);
        Lock read = jvm.readLock();
        if (!tryLock(read, deadline)) {
            throw timeout("shared");
        }
        try {
            synchronized (this) {
                if (sharedHolders == 0) {
                    open(true, deadline);
                }
                sharedHolders++;
            }
        } catch (IOException | RuntimeException e) {
            read.unlock();
            throw e;
        }
        return () -> {
            try {
                synchronized (this) {
                    if (--sharedHolders == 0) {
                        closeChannel();
                    }
                }
            } finally {
                read.unlock();
            }
        };
    }

    /** Holds the lock exclusively until the handle is closed; empty if not granted within {@code maxWait}. */
    Optional<Handle> exclusive(Duration maxWait) throws IOException {
        long deadline = FileLocking.deadline(maxWait);
        Lock write = jvm.writeLock();
        if (!tryLock(write, deadline)) {
            return Optional.empty();
        }
        try {
            synchronized (this) {
                if (!open(false, deadline)) {
                    write.unlock();
                    return Optional.empty();
                }
            }
        } catch (IOException | RuntimeException e) {
            write.unlock();
            throw e;
        }
        return Optional.of(() -> {
            try {
                synchronized (this) {
                    closeChannel();
                }
            } finally {
                write.unlock();
            }
        });
    }

    private boolean open(boolean shared, long deadline) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        Optional<FileLock> lock;
        try {
            lock = FileLocking.lock(ch, shared, deadline);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (lock.isEmpty()) {
            ch.close();
            if (shared) {
                throw timeout("shared");
            }
            return false;
        }
        channel = ch;
        fileLock = lock.get();
        return true;
    }

    private void closeChannel() throws IOException {
        try {
            fileLock.release();
            channel.close();
        } finally {
            fileLock = null;
            channel = null;
        }
    }

    private static boolean tryLock(Lock lock, long deadline) throws IOException {
        try {
            return lock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the store lock");
        }
    }

    private LockTimeoutException timeout(String mode) {
        return new LockTimeoutException("timed out waiting for the " + mode + " store lock " + file
                + " (a garbage collection may be running)");
    }

    /** A held lock; closing releases it. */
    @FunctionalInterface
    interface Handle extends AutoCloseable {
        @Override
        void close() throws IOException;
    }
}
