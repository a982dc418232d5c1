package io.kache.testkit.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The test server is a real, strict S3 endpoint: signatures checked, read-only really refuses. */
class S3TestServerTest {

    private static final String BUCKET = "cache";

    @TempDir
    Path dir;

    private S3TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = S3TestServer.start(dir, "AKIDTESTKIT", "testkit-secret");
        server.createBucket(BUCKET);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static S3Client client(URI endpoint, String access, String secret) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.of(S3TestServer.REGION))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(access, secret)))
                .build();
    }

    @Test
    void listensOnLoopbackAndReportsItsStartupTime() {
        assertEquals("127.0.0.1", server.endpoint().getHost());
        assertTrue(server.endpoint().getPort() > 0);
        assertTrue(server.isRunning());
        assertTrue(server.startupTime().compareTo(S3TestServer.START_TIMEOUT) < 0, "startup " + server.startupTime());
    }

    /** The benchmarks' network model: each request is held for the latency before it is served, and a server can listen elsewhere than 127.0.0.1. */
    @Test
    void aServerOnAnotherAddressDelaysEveryRequestByTheLatency() throws Exception {
        try (S3TestServer other = S3TestServer.startOn("127.0.0.2", dir.resolve("other"), "AKIDTESTKIT", "testkit-secret")) {
            assertEquals("127.0.0.2", other.endpoint().getHost());
            other.createBucket(BUCKET);
            other.delayEachRequest(Duration.ofMillis(300));
            try (S3Client s3 = client(other.endpoint(), "AKIDTESTKIT", "testkit-secret")) {
                long begin = System.nanoTime();
                s3.putObject(b -> b.bucket(BUCKET).key("k"), RequestBody.fromString("v"));
                s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("k"));
                Duration took = Duration.ofNanos(System.nanoTime() - begin);
                assertTrue(took.compareTo(Duration.ofMillis(600)) >= 0, "two requests took " + took);
            }
        }
    }

    @Test
    void signedRequestsRoundTrip() {
        try (S3Client s3 = client(server.endpoint(), "AKIDTESTKIT", "testkit-secret")) {
            s3.putObject(b -> b.bucket(BUCKET).key("a/b.txt"), RequestBody.fromString("hello"));
            assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8),
                    s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("a/b.txt")).asByteArray());
        }
    }

    @Test
    void wrongSecretIsRefusedWith403() {
        try (S3Client s3 = client(server.endpoint(), "AKIDTESTKIT", "not-the-secret")) {
            S3Exception e = assertThrows(S3Exception.class, () -> s3.listObjectsV2(b -> b.bucket(BUCKET)));
            assertEquals(403, e.statusCode());
            assertEquals("SignatureDoesNotMatch", e.awsErrorDetails().errorCode());
        }
    }

    @Test
    void unsignedRequestIsRefused() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(server.endpoint().resolve("/" + BUCKET + "?list-type=2")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, response.statusCode(), response.body());
    }

    @Test
    void readOnlyServerReadsTheSameObjectsAndRefusesWritesWith403AccessDenied() throws Exception {
        server.putObject(BUCKET, "shared.txt", "shared".getBytes(StandardCharsets.UTF_8));
        try (S3TestServer readOnly = server.startReadOnly("AKIDREADER", "reader-secret");
                S3Client s3 = client(readOnly.endpoint(), "AKIDREADER", "reader-secret")) {
            assertEquals("shared", s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("shared.txt")).asUtf8String());
            S3Exception e = assertThrows(S3Exception.class,
                    () -> s3.putObject(b -> b.bucket(BUCKET).key("x.txt"), RequestBody.fromString("x")));
            assertEquals(403, e.statusCode());
            assertEquals("AccessDenied", e.awsErrorDetails().errorCode());
            assertEquals(List.of(new RecordedRequest("GET", "/" + BUCKET + "/shared.txt", ""),
                    new RecordedRequest("PUT", "/" + BUCKET + "/x.txt", "")), readOnly.requests());
        }
    }

    @Test
    void requestLogShowsEveryListPageWithItsPrefix() {
        try (S3Client s3 = client(server.endpoint(), "AKIDTESTKIT", "testkit-secret")) {
            for (int i = 0; i < 3; i++) {
                int n = i;
                s3.putObject(b -> b.bucket(BUCKET).key("p/k" + n), RequestBody.fromString("v"));
            }
            server.clearRequests();
            s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix("p/").maxKeys(2)).contents().forEach(o -> { });
        }
        List<RecordedRequest> lists = server.listRequests();
        assertEquals(2, lists.size(), "LIST pages: " + lists);
        assertTrue(lists.stream().allMatch(r -> "p/".equals(r.queryParameter("prefix"))), lists.toString());
        assertTrue(lists.get(1).queryParameter("continuation-token") != null, lists.toString());
    }

    @Test
    void stoppedServerRefusesConnections() throws Exception {
        server.stop();
        assertFalse(server.isRunning());
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        assertThrows(ConnectException.class, () -> http.send(
                HttpRequest.newBuilder(server.endpoint().resolve("/" + BUCKET)).build(),
                HttpResponse.BodyHandlers.discarding()));
    }
}
