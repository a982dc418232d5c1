package io.kache.s3.minio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactLayout;
import io.kache.api.ArtifactStore;
import io.kache.api.ArtifactStoreProvider;
import io.kache.api.RemoteSettings;
import io.kache.api.S3Credentials;
import io.kache.s3.aws.AwsS3StoreProvider;
import io.kache.testkit.GeneratedSource;
import io.kache.testkit.TestKeys;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * Both providers against a real MinIO server in Docker, where Docker exists; skipped elsewhere.
 * The same behaviour is covered on every machine against the in-process S3 server
 * ({@link MinioS3StoreContractTest}, {@link S3InteropTest}).
 */
@Testcontainers(disabledWithoutDocker = true)
class MinioContainerTest {

    private static final String BUCKET = "kache-it";

    @Container
    private static final MinIOContainer MINIO = new MinIOContainer("minio/minio:RELEASE.2023-09-04T19-57-37Z");

    @BeforeAll
    static void createBucket() throws Exception {
        // Test setup only: kache itself never creates buckets.
        MinioClient admin = MinioClient.builder().endpoint(MINIO.getS3URL())
                .credentials(MINIO.getUserName(), MINIO.getPassword()).build();
        admin.makeBucket(MakeBucketArgs.builder().bucket(BUCKET).build());
    }

    private static RemoteSettings settings(String prefix) {
        return new RemoteSettings("s3", Optional.empty(), Optional.of(BUCKET), "us-east-1",
                Optional.of(URI.create(MINIO.getS3URL())), ArtifactLayout.withPrefix(prefix), Optional.empty(),
                Optional.empty(), false, Duration.ofSeconds(10),
                Optional.of(new S3Credentials(MINIO.getUserName(), MINIO.getPassword(), Optional.empty(), "container")),
                Map.of());
    }

    @Test
    void awsProviderRoundTripsAgainstMinio() throws Exception {
        assertRoundTrip(new AwsS3StoreProvider(), "aws");
    }

    @Test
    void minioProviderRoundTripsAgainstMinio() throws Exception {
        assertRoundTrip(new MinioS3StoreProvider(), "minio");
    }

    private static void assertRoundTrip(ArtifactStoreProvider provider, String prefix) throws Exception {
        ArtifactKey small = TestKeys.key("serde", 0);
        ArtifactKey large = TestKeys.key("serde_json", 0);
        GeneratedSource smallBytes = new GeneratedSource(1000, 1);
        GeneratedSource largeBytes = new GeneratedSource(40L * 1024 * 1024, 2);
        try (ArtifactStore store = provider.open(settings(prefix))) {
            store.store(small, smallBytes);
            store.store(large, largeBytes);
            try (Stream<ArtifactKey> serde = store.list("serde")) {
                assertEquals(Set.of(small), serde.collect(Collectors.toSet()));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertTrue(store.load(large, (in, size) -> in.transferTo(out)));
            assertEquals(largeBytes.sha256(), TestKeys.sha256Hex(out.toByteArray()));
        }
    }
}
