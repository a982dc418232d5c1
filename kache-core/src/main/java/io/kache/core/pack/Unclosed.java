package io.kache.core.pack;

import java.io.FilterInputStream;
import java.io.InputStream;

/**
 * Keeps a caller's stream open when a decompressor wrapped around it closes: the caller owns
 * the stream (and may check its trailer, or go on reading, afterwards).
 */
final class Unclosed extends FilterInputStream {

    Unclosed(InputStream in) {
        super(in);
    }

    @Override
    public void close() {
    }
}
