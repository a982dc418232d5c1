package io.kache.s3.minio;

import io.kache.api.ArtifactStore;
import io.kache.api.RemoteSettings;
import io.kache.testkit.StoreCapabilities;
import io.kache.testkit.s3.S3ArtifactStoreContract;

/**
 * The MinIO client backend against a real S3 server on loopback, with 5 MiB parts so the
 * contract's 12 MiB round trip goes through multipart.
 */
class MinioS3StoreContractTest extends S3ArtifactStoreContract {

    @Override
    protected ArtifactStore open(RemoteSettings settings) throws Exception {
        return new MinioS3StoreProvider().open(settings, 5L * 1024 * 1024);
    }

    @Override
    protected StoreCapabilities capabilities() {
        return StoreCapabilities.all().withLargeArtifactSize(12L * 1024 * 1024);
    }
}
