package io.kache.core.store;

import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * In-process guards in front of file locks. A JVM holds a POSIX file lock per process, not per
 * thread, and Java refuses overlapping locks from one JVM; so threads of one JVM first queue here,
 * and only the thread that gets through takes the file lock.
 */
final class JvmLocks {

    private static final ConcurrentHashMap<Path, Semaphore> MUTEXES = new ConcurrentHashMap<>();

    private JvmLocks() {
    }

    /** One permit per lock file path, shared by every store instance in this JVM. */
    static Semaphore mutex(Path lockFile) {
        Path key = lockFile.toAbsolutePath().normalize();
        Semaphore s = MUTEXES.get(key);
        if (s == null) {
            Semaphore fresh = new Semaphore(1, true);
            s = MUTEXES.putIfAbsent(key, fresh);
            if (s == null) {
                s = fresh;
            }
        }
        return s;
    }
}
