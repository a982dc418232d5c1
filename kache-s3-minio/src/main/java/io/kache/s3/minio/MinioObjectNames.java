package io.kache.s3.minio;

import io.kache.api.StoreException;
import io.kache.core.remote.s3.backend.S3KeyListing;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;
import java.util.Iterator;

/** The object names under one prefix via the client's iterator, which pages through ListObjectsV2 itself. */
final class MinioObjectNames implements S3KeyListing.ObjectNames {

    private final Iterator<Result<Item>> results;
    private final String prefix;
    private final MinioErrors errors;

    MinioObjectNames(MinioClient client, String bucket, String prefix, MinioErrors errors) {
        this.results = client.listObjects(ListObjectsArgs.builder()
                .bucket(bucket).prefix(prefix).recursive(true).build()).iterator();
        this.prefix = prefix;
        this.errors = errors;
    }

    @Override
    public String next() throws StoreException {
        if (!results.hasNext()) {
            return null;
        }
        try {
            // A failed page arrives as a result whose get() throws.
            return results.next().get().objectName();
        } catch (Exception e) {
            throw errors.map(e, "ListObjectsV2", prefix);
        }
    }
}
