package io.kache.api;

import java.io.IOException;
import java.io.InputStream;

/**
 * Consumes the bytes of one entry while the store streams them; the stream must not be used after
 * {@link #read} returns.
 */
@FunctionalInterface
public interface EntryReader {

    /**
     * @param in the entry's bytes; the store closes it
     * @param size the entry's size in bytes, or {@code -1} if the store does not know it up front
     */
    void read(InputStream in, long size) throws IOException;
}
