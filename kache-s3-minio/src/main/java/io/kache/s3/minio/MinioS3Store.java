package io.kache.s3.minio;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactLayout;
import io.kache.api.ArtifactSource;
import io.kache.api.ArtifactStore;
import io.kache.api.EntryReader;
import io.kache.api.StoreAccessDeniedException;
import io.kache.api.StoreException;
import io.kache.api.StoreUnavailableException;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import java.io.IOException;
import java.io.InputStream;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;

/**
 * An S3 bucket through the MinIO Java client. Uses GetObject (also for HEAD), PutObject (and its
 * multipart form) and ListBucket only; never creates a bucket.
 */
final class MinioS3Store implements ArtifactStore {

    static final String CONTENT_TYPE = "application/zstd";
    /** Artifacts above this size go up in parts of this size; the client buffers one part at a time. */
    static final long DEFAULT_PART_SIZE = 16L * 1024 * 1024;

    private final MinioClient client;
    private final OkHttpClient http;
    private final String bucket;
    private final ArtifactLayout layout;
    private final MinioErrors errors;
    private final Retrier retrier;
    private final long partSize;
    private final boolean readOnly;

    MinioS3Store(MinioClient client, OkHttpClient http, String bucket, ArtifactLayout layout, MinioErrors errors,
            Retrier retrier, long partSize, boolean readOnly) {
        this.client = client;
        this.http = http;
        this.bucket = bucket;
        this.layout = layout;
        this.errors = errors;
        this.retrier = retrier;
        this.partSize = partSize;
        this.readOnly = readOnly;
    }

    @Override
    public boolean load(ArtifactKey key, EntryReader reader) throws StoreException {
        String name = layout.objectName(key);
        GetObjectResponse in;
        try {
            in = retrier.call("GetObject", () -> client.getObject(GetObjectArgs.builder().bucket(bucket).object(name).build()));
        } catch (Exception e) {
            if (isMissingKey(e)) {
                return false;
            }
            throw errors.map(e, "GetObject", name);
        }
        // The reader runs once, outside any retry: it may already have acted on part of the bytes.
        try (in) {
            String length = in.headers().get("Content-Length");
            reader.read(in, length == null ? -1 : Long.parseLong(length));
        } catch (StoreException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new StoreUnavailableException("reading s3://" + bucket + "/" + name + " failed: " + e.getMessage(), e);
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
        try {
            // Each attempt re-opens the source; the client sends one PUT up to partSize, multipart above.
            retrier.call("PutObject", () -> {
                try (InputStream in = new SourceStream(source.open())) {
                    return client.putObject(PutObjectArgs.builder().bucket(bucket).object(name)
                            .stream(in, source.size(), partSize).contentType(CONTENT_TYPE).build());
                }
            });
        } catch (Exception e) {
            throw errors.map(e, "PutObject", name);
        }
    }

    @Override
    public boolean contains(ArtifactKey key) throws StoreException {
        String name = layout.objectName(key);
        try {
            retrier.call("HeadObject", () -> client.statObject(StatObjectArgs.builder().bucket(bucket).object(name).build()));
            return true;
        } catch (Exception e) {
            if (isMissingKey(e)) {
                return false;
            }
            throw errors.map(e, "HeadObject", name);
        }
    }

    /** A 404 that is not NoSuchBucket (a HEAD has no body, so a missing bucket reads as a miss there). */
    private static boolean isMissingKey(Exception e) {
        return e instanceof ErrorResponseException r && r.response().code() == 404
                && !"NoSuchBucket".equals(r.errorResponse().code());
    }

    @Override
    public Stream<ArtifactKey> list(String crateName) throws StoreException {
        return MinioListing.stream(client, bucket, layout.cratePrefix(crateName), layout, errors);
    }

    @Override
    public Stream<ArtifactKey> listAll() throws StoreException {
        return MinioListing.stream(client, bucket, layout.rootPrefix(), layout, errors);
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    @Override
    public String toString() {
        return "MinioS3Store[" + errors.location() + "]";
    }
}
