package io.kache.core.store;

import io.kache.api.ArtifactKey;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * Exclusive hold on one cache key across threads and processes, so parallel cargo jobs that miss
 * on the same key compile it once. Holders re-check {@link LocalStore#lookup} after acquiring.
 *
 * <p>Backed by an OS lock on {@code locks/CRATE/KEY}, which the OS releases when the holder dies
 * (even by {@code kill -9}): there is no stale lock to break. Close to release; closing twice is
 * harmless.
 */
public final class KeyLock implements AutoCloseable {

    private final ArtifactKey key;
    private final Semaphore mutex;
    private FileChannel channel;
    private FileLock lock;

    private KeyLock(ArtifactKey key, Semaphore mutex, FileChannel channel, FileLock lock) {
        this.key = key;
        this.mutex = mutex;
        this.channel = channel;
        this.lock = lock;
    }

    static KeyLock acquire(ArtifactKey key, Path lockFile, long deadline) throws IOException {
        Semaphore mutex = JvmLocks.mutex(lockFile);
        if (!FileLocking.acquire(mutex, deadline)) {
            throw timeout(key);
        }
        boolean done = false;
        try {
            Optional<KeyLock> held = tryFileLock(key, lockFile, mutex, deadline);
            if (held.isEmpty()) {
                throw timeout(key);
            }
            done = true;
            return held.get();
        } finally {
            if (!done) {
                mutex.release();
            }
        }
    }

    /**
     * Locks the file, then checks the path still names the locked inode: garbage collection may
     * delete a lock file (while holding it) after this process opened it.
     */
    private static Optional<KeyLock> tryFileLock(ArtifactKey key, Path lockFile, Semaphore mutex, long deadline)
            throws IOException {
        Files.createDirectories(lockFile.getParent());
        while (true) {
            FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            boolean keep = false;
            try {
                Object opened = fileKey(lockFile);
                Optional<FileLock> lock = FileLocking.lock(ch, false, deadline);
                if (lock.isEmpty()) {
                    return Optional.empty();
                }
                if (opened != null && Objects.equals(opened, fileKey(lockFile))) {
                    keep = true;
                    return Optional.of(new KeyLock(key, mutex, ch, lock.get()));
                }
            } finally {
                if (!keep) {
                    ch.close();
                }
            }
        }
    }

    private static Object fileKey(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static LockTimeoutException timeout(ArtifactKey key) {
        return new LockTimeoutException("timed out waiting for the lock on entry " + key);
    }

    public ArtifactKey key() {
        return key;
    }

    @Override
    public synchronized void close() throws IOException {
        if (channel == null) {
            return;
        }
        try {
            lock.release();
            channel.close();
        } finally {
            channel = null;
            lock = null;
            mutex.release();
        }
    }
}
