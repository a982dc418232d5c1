package io.kache.s3.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kache.api.ArtifactStore;
import io.kache.api.RemoteSettings;
import io.kache.api.S3CredentialSource;
import io.kache.testkit.StoreCapabilities;
import io.kache.testkit.s3.S3ArtifactStoreContract;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

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

    @Test
    void doctorTellsWhichRequestsKacheSendsItself() {
        RemoteSettings keys = new RemoteSettings("s3", Optional.empty(), Optional.of("b"), "us-east-1",
                Optional.of(URI.create("http://127.0.0.1:9000")), io.kache.api.ArtifactLayout.withPrefix("artifacts"),
                Optional.empty(), Optional.empty(), false, RemoteSettings.DEFAULT_TIMEOUT,
                Optional.of(new io.kache.api.S3Credentials("AKIDX", "s", Optional.empty(), "test")), java.util.Map.of());
        AwsS3StoreProvider provider = new AwsS3StoreProvider();
        assertEquals("GET and HEAD signed and sent by kache; PUT, LIST and DELETE through the AWS SDK for Java v2",
                provider.describe(keys).get("requests"));
        assertEquals("all through the AWS SDK for Java v2", provider.describe(
                keys.withCredentials(Optional.empty(), S3CredentialSource.containerOrInstance())).get("requests"));
    }
}
