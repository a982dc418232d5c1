package io.kache.s3.aws;

import io.kache.api.StoreException;
import io.kache.api.StoreUnavailableException;
import io.kache.core.remote.s3.backend.S3KeyListing;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The object names under one prefix, one ListObjectsV2 page at a time, the first fetched at once. A
 * server that hands out a continuation token it gave before, or pages past {@link #MAX_PAGES}, would
 * keep a sync listing forever: the listing of that prefix fails instead.
 */
final class AwsObjectNames implements S3KeyListing.ObjectNames {

    /** Ten million keys under one prefix at S3's 1,000 a page: far more than any cache kache serves. */
    static final int MAX_PAGES = 10_000;

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final AwsErrors errors;
    private final Duration callTimeout;
    private Iterator<S3Object> page;
    private String continuation;
    private final Set<String> tokens = new HashSet<>();
    private int pages;

    private AwsObjectNames(S3Client s3, String bucket, String prefix, AwsErrors errors, Duration callTimeout) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
        this.errors = errors;
        this.callTimeout = callTimeout;
    }

    /** @param callTimeout how long one page may take, retries included */
    static AwsObjectNames list(S3Client s3, String bucket, String prefix, AwsErrors errors, Duration callTimeout)
            throws StoreException {
        AwsObjectNames names = new AwsObjectNames(s3, bucket, prefix, errors, callTimeout);
        names.fetch(null);
        return names;
    }

    @Override
    public String next() throws StoreException {
        while (!page.hasNext()) {
            if (continuation == null) {
                return null;
            }
            if (!tokens.add(continuation)) {
                throw new StoreUnavailableException("ListObjectsV2 of s3://" + bucket + "/" + prefix
                        + " does not end: the server sent a continuation token it had sent before, after " + pages
                        + " pages (a broken server or a proxy that alters its answers)");
            }
            if (pages >= MAX_PAGES) {
                throw new StoreUnavailableException("ListObjectsV2 of s3://" + bucket + "/" + prefix
                        + " does not end: still truncated after " + pages + " pages");
            }
            fetch(continuation);
        }
        return page.next().key();
    }

    private void fetch(String token) throws StoreException {
        try {
            ListObjectsV2Response response = s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix)
                    .continuationToken(token).overrideConfiguration(c -> c.apiCallTimeout(callTimeout)));
            pages++;
            page = response.contents().iterator();
            continuation = Boolean.TRUE.equals(response.isTruncated()) ? response.nextContinuationToken() : null;
        } catch (SdkException | AwsCredentialFailure e) {
            throw errors.map(e, "ListObjectsV2", prefix);
        }
    }
}
