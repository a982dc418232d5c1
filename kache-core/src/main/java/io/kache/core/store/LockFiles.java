package io.kache.core.store;

import io.kache.api.ArtifactKey;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Semaphore;

/**
 * Deletes lock files of keys that have no entry, so {@code locks/} does not grow forever. A lock
 * file is deleted only while this process holds its lock; {@link KeyLock} re-checks the path after
 * locking, so a process that opened the file just before it was deleted retries on a fresh one.
 */
final class LockFiles {

    private LockFiles() {
    }

    static void sweep(StoreLayout layout, Entries entries) throws IOException {
        try (DirectoryStream<Path> crates = Files.newDirectoryStream(layout.locksDir())) {
            for (Path crateDir : crates) {
                String crate = crateDir.getFileName().toString();
                if (!ArtifactKey.isValidCrateName(crate) || !Files.isDirectory(crateDir)) {
                    continue;
                }
                try (DirectoryStream<Path> locks = Files.newDirectoryStream(crateDir)) {
                    for (Path lockFile : locks) {
                        String key = lockFile.getFileName().toString();
                        if (ArtifactKey.isValidCacheKey(key) && !entries.exists(new ArtifactKey(crate, key))) {
                            deleteIfFree(lockFile);
                        }
                    }
                }
            }
        } catch (NoSuchFileException e) {
            // No lock was ever taken.
        }
    }

    private static void deleteIfFree(Path lockFile) throws IOException {
        Semaphore mutex = JvmLocks.mutex(lockFile);
        if (!mutex.tryAcquire()) {
            return;
        }
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = ch.tryLock();
            if (lock != null) {
                Files.deleteIfExists(lockFile);
                lock.release();
            }
        } catch (NoSuchFileException e) {
            // Already gone.
        } finally {
            mutex.release();
        }
    }
}
