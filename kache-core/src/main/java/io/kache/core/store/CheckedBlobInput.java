package io.kache.core.store;

import io.kache.core.hash.Sha256;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * A blob read to its end for export, hashed on the way: reaching the end of a blob whose bytes do
 * not match its name throws {@link DamagedBlobException} instead of returning end-of-stream, so a
 * pack being written from it can never be finished. Hashing while the bytes pass costs far less
 * than the compression they go through (SHA-256 runs in the CPU's SHA instructions).
 */
final class CheckedBlobInput extends FilterInputStream {

    private final String sha256;
    private final MessageDigest digest = Sha256.newDigest();

    private CheckedBlobInput(InputStream in, String sha256) {
        super(in);
        this.sha256 = sha256;
    }

    static CheckedBlobInput open(Path blob, String sha256) throws IOException {
        return new CheckedBlobInput(Files.newInputStream(blob), sha256);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            digest.update(b, off, n);
        } else if (n < 0 && !Sha256.hex(digest).equals(sha256)) {
            throw new DamagedBlobException(sha256);
        }
        return n;
    }

    @Override
    public long skip(long n) {
        return 0;   // every byte must pass through the digest
    }

    /** A blob whose content no longer matches its name. */
    static final class DamagedBlobException extends IOException {
        private final String sha256;

        DamagedBlobException(String sha256) {
            super("blob " + sha256 + " no longer matches its content hash");
            this.sha256 = sha256;
        }

        String sha256() {
            return sha256;
        }
    }
}
