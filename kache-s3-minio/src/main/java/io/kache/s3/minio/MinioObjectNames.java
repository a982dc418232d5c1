package io.kache.s3.minio;

import io.kache.api.StoreException;
import io.kache.api.StoreUnavailableException;
import io.kache.core.remote.s3.backend.S3KeyListing;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;

/**
 * The object names under one prefix via the client's iterator, which pages through ListObjectsV2
 * itself and hides the continuation tokens. A server that repeats a page (its continuation token
 * leads back) would keep a sync listing forever. S3 lists names once each, in ascending UTF-8 byte
 * order, so a name that does not come after the one before fails the listing of that prefix instead.
 */
final class MinioObjectNames implements S3KeyListing.ObjectNames {

    private final Iterator<Result<Item>> results;
    private final String prefix;
    private final MinioErrors errors;
    private final String bucket;
    private byte[] previous;
    private long listed;

    MinioObjectNames(MinioClient client, String bucket, String prefix, MinioErrors errors) {
        this.results = client.listObjects(ListObjectsArgs.builder()
                .bucket(bucket).prefix(prefix).recursive(true).build()).iterator();
        this.prefix = prefix;
        this.errors = errors;
        this.bucket = bucket;
    }

    @Override
    public String next() throws StoreException {
        if (!results.hasNext()) {
            return null;
        }
        String name;
        try {
            // A failed page arrives as a result whose get() throws.
            name = results.next().get().objectName();
        } catch (Exception e) {
            throw errors.map(e, "ListObjectsV2", prefix);
        }
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (previous != null && Arrays.compareUnsigned(bytes, previous) <= 0) {
            throw new StoreUnavailableException("ListObjectsV2 of s3://" + bucket + "/" + prefix
                    + " does not end: after " + listed + " names the server listed " + name + " again or out of"
                    + " order (a broken server or a proxy that alters its answers)");
        }
        previous = bytes;
        listed++;
        return name;
    }
}
