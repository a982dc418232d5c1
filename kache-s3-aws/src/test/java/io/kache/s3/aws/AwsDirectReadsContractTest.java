package io.kache.s3.aws;

import io.kache.api.ArtifactStore;
import io.kache.api.RemoteSettings;
import io.kache.testkit.StoreCapabilities;
import io.kache.testkit.s3.S3ArtifactStoreContract;

/**
 * The AWS backend as kache opens it for static keys: GETs and HEADs signed by kache itself
 * ({@code DirectReads}), writes, listings and deletes through the SDK, against a real S3 server on
 * loopback that checks every signature.
 */
class AwsDirectReadsContractTest extends S3ArtifactStoreContract {

    @Override
    protected ArtifactStore open(RemoteSettings settings) throws Exception {
        return new AwsS3StoreProvider().open(settings);
    }

    @Override
    protected StoreCapabilities capabilities() {
        return StoreCapabilities.all().withLargeArtifactSize(12L * 1024 * 1024);
    }
}
