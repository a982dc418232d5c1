package io.kache.s3.minio;

import io.kache.api.ArtifactStoreProvider;
import io.kache.testkit.s3.S3FailureContract;

/** The MinIO client backend, with kache's own retries, against the failures a user meets. */
class MinioS3StoreFailureTest extends S3FailureContract {

    @Override
    protected ArtifactStoreProvider provider() {
        return new MinioS3StoreProvider();
    }
}
