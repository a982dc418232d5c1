package io.kache.s3.aws;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactLayout;
import io.kache.api.StoreException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The keys under one prefix, one ListObjectsV2 page at a time. The first page is fetched before
 * the stream is handed out, so a refused or unreachable bucket is a checked {@link StoreException};
 * later pages are fetched as the stream is consumed.
 */
final class AwsListing implements Iterator<ArtifactKey> {

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final ArtifactLayout layout;
    private final AwsErrors errors;
    private Iterator<S3Object> page;
    private String continuation;
    private ArtifactKey next;

    private AwsListing(S3Client s3, String bucket, String prefix, ArtifactLayout layout, AwsErrors errors) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
        this.layout = layout;
        this.errors = errors;
    }

    static Stream<ArtifactKey> stream(S3Client s3, String bucket, String prefix, ArtifactLayout layout,
            AwsErrors errors) throws StoreException {
        AwsListing listing = new AwsListing(s3, bucket, prefix, layout, errors);
        listing.fetch(null);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(listing,
                Spliterator.ORDERED | Spliterator.DISTINCT | Spliterator.NONNULL), false);
    }

    private void fetch(String token) throws StoreException {
        try {
            ListObjectsV2Response response = s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).continuationToken(token));
            page = response.contents().iterator();
            continuation = Boolean.TRUE.equals(response.isTruncated()) ? response.nextContinuationToken() : null;
        } catch (SdkException e) {
            throw errors.map(e, "ListObjectsV2", prefix);
        }
    }

    @Override
    public boolean hasNext() {
        while (next == null) {
            if (page.hasNext()) {
                // Only names that are exactly {prefix}/{crate}/{key}.tar.zst: foreign objects are skipped.
                Optional<ArtifactKey> key = layout.parse(page.next().key());
                next = key.orElse(null);
            } else if (continuation != null) {
                try {
                    fetch(continuation);
                } catch (StoreException e) {
                    throw new UncheckedIOException(e);
                }
            } else {
                return false;
            }
        }
        return true;
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
