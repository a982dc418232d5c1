package io.kache.s3.minio;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactLayout;
import io.kache.api.StoreException;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The keys under one prefix via the client's paged ListObjectsV2 iterator. The first entry (and so
 * the first page) is fetched before the stream is handed out, so a refused or unreachable bucket is
 * a checked {@link StoreException}; later pages come as the stream is consumed.
 */
final class MinioListing implements Iterator<ArtifactKey> {

    private final Iterator<Result<Item>> results;
    private final ArtifactLayout layout;
    private final MinioErrors errors;
    private final String prefix;
    private ArtifactKey next;

    private MinioListing(Iterator<Result<Item>> results, ArtifactLayout layout, MinioErrors errors, String prefix) {
        this.results = results;
        this.layout = layout;
        this.errors = errors;
        this.prefix = prefix;
    }

    static Stream<ArtifactKey> stream(MinioClient client, String bucket, String prefix, ArtifactLayout layout,
            MinioErrors errors) throws StoreException {
        Iterator<Result<Item>> results = client.listObjects(ListObjectsArgs.builder()
                .bucket(bucket).prefix(prefix).recursive(true).build()).iterator();
        MinioListing listing = new MinioListing(results, layout, errors, prefix);
        listing.advance();
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(listing,
                Spliterator.ORDERED | Spliterator.DISTINCT | Spliterator.NONNULL), false);
    }

    /** Moves to the next valid entry; foreign names are skipped. */
    private void advance() throws StoreException {
        while (next == null && results.hasNext()) {
            Item item;
            try {
                item = results.next().get();
            } catch (Exception e) {
                throw errors.map(e, "ListObjectsV2", prefix);
            }
            next = layout.parse(item.objectName()).orElse(null);
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
