package io.kache.s3.aws;

import io.kache.api.ArtifactStore;
import io.kache.api.RemoteSettings;
import io.kache.testkit.s3.S3MultipartContract;
import java.util.List;

/** Large artifacts through the AWS SDK backend, which drives the multipart upload itself. */
class AwsMultipartTest extends S3MultipartContract {

    @Override
    protected ArtifactStore open(RemoteSettings settings) throws Exception {
        return new AwsS3StoreProvider().open(settings);
    }

    @Override
    protected ArtifactStore open(RemoteSettings settings, long partSize) throws Exception {
        return new AwsS3StoreProvider().open(settings, partSize, List.of());
    }
}
