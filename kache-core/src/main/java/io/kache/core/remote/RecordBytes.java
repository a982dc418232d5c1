package io.kache.core.remote;

import io.kache.api.CorruptedEntryException;
import io.kache.api.StoreException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads a build record's bytes with its size capped: a record larger than the cap is refused, not read whole. */
public final class RecordBytes {

    private RecordBytes() {
    }

    /**
     * Reads {@code in} to its end, or refuses once more than {@code maxBytes} came.
     *
     * @throws CorruptedEntryException if {@code in} holds more than {@code maxBytes}
     */
    public static byte[] read(InputStream in, int maxBytes, String what) throws IOException, StoreException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBytes, 64 * 1024));
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
            if (out.size() + n > maxBytes) {
                throw new CorruptedEntryException(what + " is larger than " + maxBytes + " bytes");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }
}
