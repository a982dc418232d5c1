package io.kache.s3.minio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactStore;
import io.kache.api.ArtifactStoreProvider;
import io.kache.api.RemoteSettings;
import io.kache.api.StoreProviders;
import io.kache.s3.aws.AwsS3StoreProvider;
import io.kache.testkit.GeneratedSource;
import io.kache.testkit.TestKeys;
import io.kache.testkit.s3.S3TestServer;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both S3 providers on one class path and one bucket: they find each other's entries byte for
 * byte, and the AWS one is the default unless config names the MinIO one.
 */
class S3InteropTest {

    private static final String BUCKET = "shared";

    @TempDir
    Path dir;

    private S3TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = S3TestServer.start(dir, "AKIDINTEROP", "interop-secret");
        server.createBucket(BUCKET);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void awsWritesAndMinioListsAndReadsByteForByte() throws Exception {
        assertCrossReadable(new AwsS3StoreProvider(), new MinioS3StoreProvider());
    }

    @Test
    void minioWritesAndAwsListsAndReadsByteForByte() throws Exception {
        assertCrossReadable(new MinioS3StoreProvider(), new AwsS3StoreProvider());
    }

    private void assertCrossReadable(ArtifactStoreProvider writerProvider, ArtifactStoreProvider readerProvider)
            throws Exception {
        RemoteSettings settings = server.remoteSettings(BUCKET, "interop/" + writerProvider.id());
        Map<ArtifactKey, GeneratedSource> written = Map.of(
                TestKeys.key("serde", 0), new GeneratedSource(0, 1),
                TestKeys.key("serde", 1), new GeneratedSource(4096, 2),
                TestKeys.key("serde_json", 0), new GeneratedSource(6L * 1024 * 1024, 3));
        try (ArtifactStore writer = writerProvider.open(settings)) {
            for (Map.Entry<ArtifactKey, GeneratedSource> e : written.entrySet()) {
                writer.store(e.getKey(), e.getValue());
            }
        }
        try (ArtifactStore reader = readerProvider.open(settings)) {
            try (Stream<ArtifactKey> serde = reader.list("serde"); Stream<ArtifactKey> all = reader.listAll()) {
                assertEquals(Set.of(TestKeys.key("serde", 0), TestKeys.key("serde", 1)), serde.collect(Collectors.toSet()));
                assertEquals(written.keySet(), all.collect(Collectors.toSet()));
            }
            for (Map.Entry<ArtifactKey, GeneratedSource> e : written.entrySet()) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                assertTrue(reader.load(e.getKey(), (in, size) -> in.transferTo(out)), "load " + e.getKey());
                assertEquals(e.getValue().sha256(), TestKeys.sha256Hex(out.toByteArray()), "bytes of " + e.getKey());
            }
        }
    }

    @Test
    void awsIsTheDefaultAndConfigCanChooseMinio() throws Exception {
        StoreProviders providers = StoreProviders.discover(getClass().getClassLoader());
        assertEquals(Set.of("s3-aws", "s3-minio"), providers.all().stream()
                .filter(p -> p.type().equals("s3")).map(ArtifactStoreProvider::id).collect(Collectors.toSet()));
        assertInstanceOf(AwsS3StoreProvider.class, providers.select("s3", Optional.empty()));
        ArtifactStoreProvider chosen = providers.select("s3", Optional.of("s3-minio"));
        assertInstanceOf(MinioS3StoreProvider.class, chosen);
        try (ArtifactStore store = chosen.open(server.remoteSettings(BUCKET, "chosen"))) {
            store.store(TestKeys.key("serde", 9), new GeneratedSource(10, 9));
        }
        assertEquals(List.of("PUT"), server.requests().stream().map(r -> r.method()).toList());
    }
}
