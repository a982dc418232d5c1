package io.kache.s3.aws;

import io.kache.api.ArtifactStore;
import io.kache.api.RemoteSettings;
import io.kache.testkit.StoreCapabilities;
import io.kache.testkit.s3.S3ArtifactStoreContract;
import java.util.List;

/**
 * The AWS SDK backend, every request through the SDK (as for credentials only the SDK resolves), against a
 * real S3 server on loopback. Parts of 5 MiB (S3's minimum) and a
 * large artifact of 12 MiB, so the contract's large round trip goes through multipart.
 */
class AwsS3StoreContractTest extends S3ArtifactStoreContract {

    private static final long PART_SIZE = 5L * 1024 * 1024;

    @Override
    protected ArtifactStore open(RemoteSettings settings) throws Exception {
        return new AwsS3StoreProvider().open(settings, PART_SIZE, List.of());
    }

    @Override
    protected StoreCapabilities capabilities() {
        return StoreCapabilities.all().withLargeArtifactSize(12L * 1024 * 1024);
    }
}
