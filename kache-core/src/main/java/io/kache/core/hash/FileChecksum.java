package io.kache.core.hash;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * A content's size and CRC32C: what {@link ContentHashes#hasContent} compares with a file whose
 * identity moved, instead of its SHA-256. CRC32C runs in the CPU's {@code crc32} instruction, in
 * the interpreter too: about a sixth of SHA-256's cost here (83 MB of blobs: 15 ms against 88 ms),
 * and it finds every change of up to 32 consecutive bits and any other with odds of 2^-32.
 */
public record FileChecksum(long size, int crc32c) {

    private static final int BUFFER = 256 * 1024;

    /** Reads {@code file} whole. */
    static FileChecksum of(Path file) throws IOException {
        return read(file, null);
    }

    /** Reads {@code file} whole, its bytes passing through {@code digest} too: one read for both sums. */
    static FileChecksum of(Path file, MessageDigest digest) throws IOException {
        return read(file, Objects.requireNonNull(digest, "digest"));
    }

    /** Adds what it reads to {@code alsoDigest} unless that is null. */
    private static FileChecksum read(Path file, MessageDigest alsoDigest) throws IOException {
        CRC32C crc = new CRC32C();
        byte[] buf = new byte[BUFFER];
        long size = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.wrap(buf);
            int n;
            while ((n = ch.read(b)) >= 0) {
                crc.update(buf, 0, n);
                if (alsoDigest != null) {
                    alsoDigest.update(buf, 0, n);
                }
                size += n;
                b.clear();
            }
        }
        return new FileChecksum(size, (int) crc.getValue());
    }
}
