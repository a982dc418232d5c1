package io.kache.core.remote.s3.backend;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactLayout;
import io.kache.api.StoreException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The artifact keys among the object names of one listed prefix. Only names that are exactly
 * {@code {prefix}/{crate}/{key}.tar.zst} become keys ({@link ArtifactLayout#parse}); foreign objects
 * are skipped. The first key is looked for before the stream is handed out, so a refused or
 * unreachable bucket is a checked {@link StoreException}; later pages are fetched as the stream is
 * consumed, and their failures surface as {@link UncheckedIOException}.
 */
public final class S3KeyListing implements Iterator<ArtifactKey> {

    /** The names under a prefix, as a client lists them, page by page. */
    @FunctionalInterface
    public interface ObjectNames {
        /** The next object name, or {@code null} after the last; fetches a page when needed. */
        String next() throws StoreException;
    }

    private final ObjectNames names;
    private final ArtifactLayout layout;
    private ArtifactKey next;
    private boolean exhausted;

    private S3KeyListing(ObjectNames names, ArtifactLayout layout) {
        this.names = names;
        this.layout = layout;
    }

    /** The keys among {@code names}, in listing order. */
    public static Stream<ArtifactKey> stream(ObjectNames names, ArtifactLayout layout) throws StoreException {
        S3KeyListing listing = new S3KeyListing(names, layout);
        listing.advance();
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(listing,
                Spliterator.ORDERED | Spliterator.DISTINCT | Spliterator.NONNULL), false);
    }

    private void advance() throws StoreException {
        while (next == null && !exhausted) {
            String name = names.next();
            if (name == null) {
                exhausted = true;
            } else {
                next = layout.parse(name).orElse(null);
            }
        }
    }

    @Override
    public boolean hasNext() {
        try {
            advance();
        } catch (StoreException e) {
            throw new UncheckedIOException(e);
        }
        return next != null;
    }

    @Override
    public ArtifactKey next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        ArtifactKey key = next;
        next = null;
        return key;
    }
}
