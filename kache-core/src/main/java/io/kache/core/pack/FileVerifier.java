package io.kache.core.pack;

import io.kache.core.entry.EntryFile;
import io.kache.core.hash.Sha256;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Streams one pack member to a sink through a hashing view, then drains the rest and compares
 * length and SHA-256 with the manifest.
 */
final class FileVerifier {

    private final byte[] buf;
    private final MessageDigest digest = Sha256.newDigest();

    FileVerifier(int bufferSize) {
        this.buf = new byte[bufferSize];
    }

    void consume(InputStream member, EntryFile f, PackReader.FileSink sink, String origin) throws IOException {
        digest.reset();
        Hashing view = new Hashing(member);
        try {
            sink.accept(f, view);
        } catch (IOException e) {
            if (view.failure != null) {
                throw view.failure;
            }
            throw new PackReader.SinkFailure(e);
        }
        int n;
        while ((n = view.read(buf, 0, buf.length)) > 0) {
            // drained into the digest
        }
        if (view.count != f.size()) {
            throw PackReader.corrupt(origin, "file '" + f.name() + "' has " + view.count + " bytes, manifest says "
                    + f.size());
        }
        String actual = Sha256.hex(digest);
        if (!actual.equals(f.sha256())) {
            throw PackReader.corrupt(origin, "file '" + f.name() + "' has SHA-256 " + actual + ", manifest says "
                    + f.sha256());
        }
    }

    /** Hashes what passes; remembers a failure of the pack itself so it is not blamed on the sink. */
    private final class Hashing extends FilterInputStream {
        long count;
        IOException failure;

        Hashing(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n;
            try {
                n = in.read(b, off, len);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
            if (n > 0) {
                digest.update(b, off, n);
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = 0;
            while (skipped < n) {
                int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
                if (r < 0) {
                    break;
                }
                skipped += r;
            }
            return skipped;
        }

        @Override
        public void close() {
            // The member stream belongs to the tar reader.
        }
    }
}
