package io.kache.core.hash;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/** One read of a whole file into its sums: its SHA-256, its size and CRC32C, or both in one pass. */
final class WholeFile {

    private static final int BUFFER = 256 * 1024;

    private WholeFile() {
    }

    /** Reads {@code file} to its end, each byte into {@code digest} and {@code sum}, either of which may be null. */
    static void read(Path file, MessageDigest digest, FileChecksum.Running sum) throws IOException {
        byte[] buf = new byte[BUFFER];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.wrap(buf);
            int n;
            while ((n = ch.read(b)) >= 0) {
                if (digest != null) {
                    digest.update(buf, 0, n);
                }
                if (sum != null) {
                    sum.update(buf, 0, n);
                }
                b.clear();
            }
        }
    }
}
