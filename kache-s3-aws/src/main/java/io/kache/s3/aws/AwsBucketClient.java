package io.kache.s3.aws;

import io.kache.api.ArtifactSource;
import io.kache.api.StoreException;
import io.kache.core.remote.s3.backend.BucketClient;
import io.kache.core.remote.s3.backend.PacedBody;
import io.kache.core.remote.s3.backend.S3KeyListing;
import io.kache.core.remote.s3.backend.UploadSlice;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * One bucket through the AWS SDK v2, which retries by itself ({@link AwsClientFactory}). A request
 * without a body to stream (LIST, HEAD, DELETE) ends within the remote's timeout, retries included:
 * against a server that accepts connections and never answers, its first attempt already waited
 * that long. A GET or PUT, whose body may take longer, bounds each attempt instead: a GET's body must
 * keep up a minimum rate after a grace of the timeout ({@link PacedBody}).
 */
final class AwsBucketClient implements BucketClient {

    static final String CONTENT_TYPE = "application/zstd";
    /** Artifacts above this size go up in parts of this size (S3 allows 5 MiB to 5 GiB). */
    static final long DEFAULT_PART_SIZE = 16L * 1024 * 1024;

    private final S3Client s3;
    private final String bucket;
    private final AwsErrors errors;
    private final long partSize;
    private final Duration callTimeout;

    AwsBucketClient(S3Client s3, String bucket, AwsErrors errors, long partSize, Duration callTimeout) {
        this.s3 = s3;
        this.bucket = bucket;
        this.errors = errors;
        this.partSize = partSize;
        this.callTimeout = callTimeout;
    }

    @Override
    public Optional<Download> getObject(String name) throws StoreException {
        try {
            return Optional.of(AwsDownload.of(s3.getObject(b -> b.bucket(bucket).key(name)), callTimeout));
        } catch (SdkException | AwsCredentialFailure e) {
            if (AwsErrors.isMissingKey(e)) {
                return Optional.empty();
            }
            throw errors.map(e, "GetObject", name);
        }
    }

    @Override
    public boolean headObject(String name) throws StoreException {
        try {
            s3.headObject(b -> b.bucket(bucket).key(name).overrideConfiguration(c -> c.apiCallTimeout(callTimeout)));
            return true;
        } catch (SdkException | AwsCredentialFailure e) {
            if (AwsErrors.isMissingKey(e)) {
                return false;
            }
            throw errors.map(e, "HeadObject", name);
        }
    }

    @Override
    public void putObject(String name, ArtifactSource source) throws StoreException {
        if (source.size() > partSize) {
            AwsMultipartUpload.upload(s3, bucket, name, source, partSize, errors);
            return;
        }
        try {
            s3.putObject(b -> b.bucket(bucket).key(name).contentType(CONTENT_TYPE).contentLength(source.size()),
                    RequestBody.fromContentProvider(new SliceContent(UploadSlice.whole(source)), source.size(),
                            CONTENT_TYPE));
        } catch (SdkException | AwsCredentialFailure | UncheckedIOException e) {
            throw errors.map(e, "PutObject", name);
        }
    }

    @Override
    public void deleteObject(String name) throws StoreException {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(name).overrideConfiguration(c -> c.apiCallTimeout(callTimeout)));
        } catch (SdkException | AwsCredentialFailure e) {
            throw errors.map(e, "DeleteObject", name);
        }
    }

    @Override
    public S3KeyListing.ObjectNames listObjects(String prefix) throws StoreException {
        return AwsObjectNames.list(s3, bucket, prefix, errors, callTimeout);
    }

    @Override
    public void close() {
        s3.close();
    }

    /**
     * The body is read outside the SDK call, so the SDK never retries it and calls the reader twice.
     * Nor does the SDK's call timeout bound it there: {@link PacedBody} does.
     */
    private record AwsDownload(ResponseInputStream<GetObjectResponse> in, InputStream body, long length)
            implements Download {

        static AwsDownload of(ResponseInputStream<GetObjectResponse> in, Duration timeout) {
            Long announced = in.response().contentLength();
            long length = announced == null ? -1 : announced;
            return new AwsDownload(in, PacedBody.of(in, length, timeout), length);
        }

        @Override
        public boolean isTransportFailure(RuntimeException e) {
            return e instanceof UncheckedIOException || e instanceof SdkException;
        }

        @Override
        public void abandon() {
            in.abort();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
