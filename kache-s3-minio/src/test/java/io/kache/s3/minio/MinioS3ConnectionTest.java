package io.kache.s3.minio;

import io.kache.api.ArtifactStoreProvider;
import io.kache.testkit.s3.S3ConnectionContract;

class MinioS3ConnectionTest extends S3ConnectionContract {

    @Override
    protected ArtifactStoreProvider provider() {
        return new MinioS3StoreProvider();
    }
}
