package io.kache.s3.minio;

import io.kache.api.ArtifactStore;
import io.kache.api.RemoteSettings;
import io.kache.testkit.s3.S3MultipartContract;

/** Large artifacts through the MinIO client backend, whose client splits the upload into parts. */
class MinioMultipartTest extends S3MultipartContract {

    @Override
    protected ArtifactStore open(RemoteSettings settings) throws Exception {
        return new MinioS3StoreProvider().open(settings);
    }

    @Override
    protected ArtifactStore open(RemoteSettings settings, long partSize) throws Exception {
        return new MinioS3StoreProvider().open(settings, partSize);
    }
}
