package io.kache.s3.minio;

import io.kache.api.ArtifactSource;
import io.kache.api.StoreException;
import io.kache.core.remote.s3.backend.BucketClient;
import io.kache.core.remote.s3.backend.PacedBody;
import io.kache.core.remote.s3.backend.S3KeyListing;
import io.kache.core.remote.s3.backend.S3RetryPolicy;
import io.kache.core.remote.s3.backend.UploadSlice;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.StatObjectArgs;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;
import okhttp3.OkHttpClient;

/**
 * One bucket through the MinIO Java client. The client does not retry by itself, so every call
 * goes through the {@link S3RetryPolicy}; a 4xx answer such as 403 is never retried.
 */
final class MinioBucketClient implements BucketClient {

    static final String CONTENT_TYPE = "application/zstd";
    /** Artifacts above this size go up in parts of this size; the client buffers one part at a time. */
    static final long DEFAULT_PART_SIZE = 16L * 1024 * 1024;

    private final MinioClient client;
    private final OkHttpClient http;
    private final String bucket;
    private final MinioErrors errors;
    private final S3RetryPolicy retries;
    private final long partSize;
    private final Duration timeout;

    MinioBucketClient(MinioClient client, OkHttpClient http, String bucket, MinioErrors errors, S3RetryPolicy retries,
            long partSize, Duration timeout) {
        this.client = client;
        this.http = http;
        this.bucket = bucket;
        this.errors = errors;
        this.retries = retries;
        this.partSize = partSize;
        this.timeout = timeout;
    }

    @Override
    public Optional<Download> getObject(String name) throws StoreException {
        try {
            return Optional.of(MinioDownload.of(retries.call("GetObject",
                    () -> client.getObject(GetObjectArgs.builder().bucket(bucket).object(name).build())), timeout));
        } catch (Exception e) {
            if (MinioErrors.isMissingKey(e)) {
                return Optional.empty();
            }
            throw errors.map(e, "GetObject", name);
        }
    }

    @Override
    public boolean headObject(String name) throws StoreException {
        try {
            retries.call("HeadObject",
                    () -> client.statObject(StatObjectArgs.builder().bucket(bucket).object(name).build()));
            return true;
        } catch (Exception e) {
            if (MinioErrors.isMissingKey(e)) {
                return false;
            }
            throw errors.map(e, "HeadObject", name);
        }
    }

    @Override
    public void putObject(String name, ArtifactSource source) throws StoreException {
        try {
            // Each attempt re-opens the source; the client sends one PUT up to partSize, multipart above.
            retries.call("PutObject", () -> {
                try (InputStream in = UploadSlice.whole(source).open()) {
                    return client.putObject(PutObjectArgs.builder().bucket(bucket).object(name)
                            .stream(in, source.size(), partSize).contentType(CONTENT_TYPE).build());
                }
            });
        } catch (Exception e) {
            throw errors.map(e, "PutObject", name);
        }
    }

    @Override
    public void deleteObject(String name) throws StoreException {
        try {
            retries.call("DeleteObject", () -> {
                client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(name).build());
                return null;
            });
        } catch (Exception e) {
            throw errors.map(e, "DeleteObject", name);
        }
    }

    @Override
    public S3KeyListing.ObjectNames listObjects(String prefix) {
        return new MinioObjectNames(client, bucket, prefix, errors);
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    /** OkHttp's read timeout, like the socket timeout, resets with each byte: {@link PacedBody} bounds the body. */
    private record MinioDownload(GetObjectResponse in, InputStream body, long length) implements Download {

        static MinioDownload of(GetObjectResponse in, Duration timeout) {
            String announced = in.headers().get("Content-Length");
            long length = announced == null ? -1 : Long.parseLong(announced);
            return new MinioDownload(in, PacedBody.of(in, length, timeout), length);
        }

        /** Everything the client throws while the body is read is a failed read of the store. */
        @Override
        public boolean isTransportFailure(RuntimeException e) {
            return true;
        }

        /** Closing the body releases the connection; there is nothing more to drop. */
        @Override
        public void abandon() {
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
