package io.kache.testkit.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactStore;
import io.kache.api.RemoteSettings;
import io.kache.api.StoreException;
import io.kache.testkit.FailingSource;
import io.kache.testkit.GeneratedSource;
import io.kache.testkit.TestKeys;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large artifacts through an S3 provider against a real {@link S3TestServer}: they go up in 16 MiB
 * parts and come back as a stream, byte for byte, and a source failing mid-upload leaves nothing.
 *
 * <pre>{@code
 * class MyMultipartTest extends S3MultipartContract {
 *     protected ArtifactStore open(RemoteSettings s, long partSize) { return MyS3Provider.open(s, partSize); }
 * }
 * }</pre>
 */
public abstract class S3MultipartContract {

    /** S3's smallest part size. */
    protected static final long MIN_PART_SIZE = 5L * 1024 * 1024;

    @TempDir
    Path dir;

    /** Opens the store under test as users get it, with the default part size of 16 MiB. */
    protected abstract ArtifactStore open(RemoteSettings settings) throws Exception;

    /** Opens the store under test with parts of {@code partSize} bytes (at least 5 MiB). */
    protected abstract ArtifactStore open(RemoteSettings settings, long partSize) throws Exception;

    @Test
    void sixtyFourMebibyteArtifactRoundTripsThroughMultipart() throws Exception {
        try (S3TestServer server = S3TestServer.start(dir, "AKIDBIG", "big-secret")) {
            server.createBucket("big");
            ArtifactKey key = TestKeys.key("huge_crate", 0);
            GeneratedSource source = new GeneratedSource(64L * 1024 * 1024, 64);
            try (ArtifactStore store = open(server.remoteSettings("big", "artifacts"))) {
                store.store(key, source);
                List<RecordedRequest> requests = server.requests();
                assertEquals("uploads", requests.get(0).query(), requests.toString());
                assertEquals(4, requests.stream().filter(r -> r.query().startsWith("partNumber=")).count(),
                        requests.toString());
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                long[] read = {0};
                assertTrue(store.load(key, (in, size) -> {
                    byte[] buffer = new byte[1 << 16];
                    for (int n; (n = in.read(buffer)) > 0; read[0] += n) {
                        digest.update(buffer, 0, n);
                    }
                }));
                assertEquals(source.size(), read[0]);
                assertEquals(source.sha256(), HexFormat.of().formatHex(digest.digest()));
            }
        }
    }

    @Test
    void failedPartAbortsTheUploadLeavesNothingAndIsNotRetried() throws Exception {
        try (S3TestServer server = S3TestServer.start(dir, "AKIDBIG", "big-secret")) {
            server.createBucket("big");
            ArtifactKey key = TestKeys.key("huge_crate", 1);
            long part = MIN_PART_SIZE;
            try (ArtifactStore store = open(server.remoteSettings("big", "artifacts"), part)) {
                StoreException e = assertThrows(StoreException.class,
                        () -> store.store(key, new FailingSource(3 * part, 2 * part + 100)));
                assertTrue(e.getMessage().contains("reading the artifact"), e.getMessage());
                assertFalse(store.contains(key));
            }
            assertEquals(1, server.requests().stream().filter(r -> r.query().equals("uploads")).count(),
                    "a failing source is not retried: " + server.requests());
            assertTrue(server.requests().stream().anyMatch(r -> r.method().equals("DELETE")),
                    "abort sent: " + server.requests());
        }
    }
}
