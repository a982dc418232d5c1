package io.kache.s3.minio;

import io.kache.api.ArtifactStore;
import io.kache.api.RemoteSettings;
import io.kache.api.StoreException;
import io.kache.core.remote.s3.backend.AbstractS3StoreProvider;
import io.kache.core.remote.s3.backend.S3ArtifactStore;
import io.kache.core.remote.s3.backend.S3ErrorMapper;
import io.kache.core.remote.s3.backend.S3RetryPolicy;
import io.minio.MinioClient;
import okhttp3.OkHttpClient;

/**
 * {@code type = "s3"} on the MinIO Java client, id {@code s3-minio}, priority 50: chosen only when
 * named in {@code [cache.remote] client} while the AWS provider is present.
 */
public final class MinioS3StoreProvider extends AbstractS3StoreProvider {

    /** The id to name in {@code [cache.remote] client}. */
    public static final String ID = "s3-minio";

    public MinioS3StoreProvider() {
        super(ID, 50, "MinIO Java client");
    }

    @Override
    public ArtifactStore open(RemoteSettings settings) throws StoreException {
        return open(settings, MinioBucketClient.DEFAULT_PART_SIZE);
    }

    /** For tests: a smaller part size (at least 5 MiB). */
    ArtifactStore open(RemoteSettings settings, long partSize) throws StoreException {
        String bucket = settings.requireBucket();
        OkHttpClient http = MinioClientFactory.http(settings);
        MinioClient minio = MinioClientFactory.build(settings, http);
        S3ErrorMapper errors = errorMapper(bucket, settings);
        S3RetryPolicy retries = new S3RetryPolicy(settings.timeout(), MinioErrors::isRetryable);
        MinioBucketClient client = new MinioBucketClient(minio, http, bucket, new MinioErrors(errors), retries,
                partSize, settings.timeout());
        return new S3ArtifactStore("MinioS3Store", client, settings.layout(), errors, settings.readOnly());
    }

    @Override
    protected String endpointName(RemoteSettings settings) {
        return MinioClientFactory.endpointName(settings);
    }
}
