package io.kache.s3.aws;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactLayout;
import io.kache.api.ArtifactSource;
import io.kache.api.ArtifactStore;
import io.kache.api.DeletableStore;
import io.kache.api.EntryReader;
import io.kache.api.StoreAccessDeniedException;
import io.kache.api.StoreException;
import io.kache.api.StoreUnavailableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.stream.Stream;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * An S3 bucket through the AWS SDK v2. Uses GetObject (also for HEAD), PutObject (and its multipart
 * form) and ListBucket; DeleteObject only when asked to delete ({@code kache doctor}'s probe);
 * never creates a bucket.
 */
final class AwsS3Store implements ArtifactStore, DeletableStore {

    static final String CONTENT_TYPE = "application/zstd";
    /** Artifacts above this size go up in parts of this size (S3 allows 5 MiB to 5 GiB). */
    static final long DEFAULT_PART_SIZE = 16L * 1024 * 1024;

    private final S3Client s3;
    private final String bucket;
    private final ArtifactLayout layout;
    private final AwsErrors errors;
    private final long partSize;
    private final boolean readOnly;
    private final Duration callTimeout;

    AwsS3Store(S3Client s3, String bucket, ArtifactLayout layout, AwsErrors errors, long partSize, boolean readOnly,
            Duration callTimeout) {
        this.s3 = s3;
        this.bucket = bucket;
        this.layout = layout;
        this.errors = errors;
        this.partSize = partSize;
        this.readOnly = readOnly;
        this.callTimeout = callTimeout;
    }

    @Override
    public boolean load(ArtifactKey key, EntryReader reader) throws StoreException {
        String name = layout.objectName(key);
        ResponseInputStream<GetObjectResponse> in;
        try {
            in = s3.getObject(b -> b.bucket(bucket).key(name));
        } catch (SdkException e) {
            if (isMissingKey(e)) {
                return false;
            }
            throw errors.map(e, "GetObject", name);
        }
        // The reader runs outside the SDK call, so the SDK never retries it and calls it twice.
        boolean finished = false;
        try (in) {
            Long length = in.response().contentLength();
            reader.read(in, length == null ? -1 : length);
            finished = true;
        } catch (StoreException e) {
            throw e;
        } catch (IOException | UncheckedIOException | SdkException e) {
            throw new StoreUnavailableException("reading s3://" + bucket + "/" + name + " failed: " + e.getMessage(), e);
        } finally {
            if (!finished) {
                // Drop the connection instead of draining an object nobody wants any more.
                in.abort();
            }
        }
        return true;
    }

    @Override
    public void store(ArtifactKey key, ArtifactSource source) throws StoreException {
        String name = layout.objectName(key);
        if (readOnly) {
            throw new StoreAccessDeniedException(errors.location(), "PutObject",
                    "this remote is configured read-only (remote_readonly)", null);
        }
        if (source.size() > partSize) {
            AwsMultipartUpload.upload(s3, bucket, name, source, partSize, errors);
            return;
        }
        try {
            s3.putObject(b -> b.bucket(bucket).key(name).contentType(CONTENT_TYPE).contentLength(source.size()),
                    RequestBody.fromContentProvider(new SourceSlice(source, 0, source.size()), source.size(),
                            CONTENT_TYPE));
        } catch (SdkException | UncheckedIOException e) {
            throw errors.map(e, "PutObject", name);
        }
    }

    /** DeleteObject: S3 answers success for a missing key too. */
    @Override
    public void delete(ArtifactKey key) throws StoreException {
        String name = layout.objectName(key);
        if (readOnly) {
            throw new StoreAccessDeniedException(errors.location(), "DeleteObject",
                    "this remote is configured read-only (remote_readonly)", null);
        }
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(name));
        } catch (SdkException e) {
            throw errors.map(e, "DeleteObject", name);
        }
    }

    @Override
    public boolean contains(ArtifactKey key) throws StoreException {
        String name = layout.objectName(key);
        try {
            s3.headObject(b -> b.bucket(bucket).key(name).overrideConfiguration(c -> c.apiCallTimeout(callTimeout)));
            return true;
        } catch (SdkException e) {
            if (isMissingKey(e)) {
                return false;
            }
            throw errors.map(e, "HeadObject", name);
        }
    }

    /**
     * A 404 without the NoSuchBucket code. HEAD responses carry no error body, so a HEAD on a
     * missing bucket also lands here and reads as a miss; the next GET, PUT or LIST names the bucket.
     */
    private static boolean isMissingKey(SdkException e) {
        if (e instanceof NoSuchKeyException) {
            return true;
        }
        return e instanceof S3Exception s3e && s3e.statusCode() == 404
                && (s3e.awsErrorDetails() == null || !"NoSuchBucket".equals(s3e.awsErrorDetails().errorCode()));
    }

    @Override
    public Stream<ArtifactKey> list(String crateName) throws StoreException {
        return AwsListing.stream(s3, bucket, layout.cratePrefix(crateName), layout, errors);
    }

    @Override
    public Stream<ArtifactKey> listAll() throws StoreException {
        return AwsListing.stream(s3, bucket, layout.rootPrefix(), layout, errors);
    }

    @Override
    public void close() {
        s3.close();
    }

    @Override
    public String toString() {
        return "AwsS3Store[" + errors.location() + "]";
    }
}
