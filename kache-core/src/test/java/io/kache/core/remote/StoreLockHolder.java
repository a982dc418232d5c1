package io.kache.core.remote;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A separate JVM that holds a store's lock file exclusively, as a garbage collection in another
 * process does: {@code StoreLockHolder LOCKFILE} prints "locked" and lets go when its stdin closes
 * or it is killed. Another process, because one JVM's threads share its OS locks.
 */
public final class StoreLockHolder {

    private StoreLockHolder() {
    }

    public static void main(String[] args) throws IOException {
        try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileLock lock = channel.lock()) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // Held until stdin closes.
            }
        }
    }
}
