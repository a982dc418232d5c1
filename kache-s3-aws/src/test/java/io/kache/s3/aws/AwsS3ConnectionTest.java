package io.kache.s3.aws;

import io.kache.api.ArtifactStoreProvider;
import io.kache.testkit.s3.S3ConnectionContract;

/**
 * Runs in a JVM of its own (see the module's pom): the JDK reads the keep-alive bound once, when it
 * first keeps a connection, so an earlier test's client would decide it for this one.
 */
class AwsS3ConnectionTest extends S3ConnectionContract {

    @Override
    protected ArtifactStoreProvider provider() {
        return new AwsS3StoreProvider();
    }
}
