package io.kache.s3.aws;

import io.kache.core.remote.s3.backend.UploadSlice;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import software.amazon.awssdk.http.ContentStreamProvider;

/**
 * An {@link UploadSlice} as a request body: the SDK asks for a new stream for every read of the
 * body (payload signing over http, retries), and the previous one is closed then.
 */
final class SliceContent implements ContentStreamProvider {

    private final UploadSlice slice;
    private InputStream open;

    SliceContent(UploadSlice slice) {
        this.slice = slice;
    }

    @Override
    public synchronized InputStream newStream() {
        closeQuietly();
        try {
            open = slice.open();
            return open;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void closeQuietly() {
        if (open != null) {
            try {
                open.close();
            } catch (IOException ignored) {
                // The previous attempt's stream is finished with; a close failure changes nothing.
            }
            open = null;
        }
    }
}
