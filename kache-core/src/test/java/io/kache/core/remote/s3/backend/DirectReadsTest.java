package io.kache.core.remote.s3.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.kache.api.ArtifactSource;
import io.kache.api.RemoteSettings;
import io.kache.api.S3CredentialSource;
import io.kache.api.S3Credentials;
import io.kache.api.StoreAccessDeniedException;
import io.kache.api.StoreException;
import io.kache.api.StoreMisconfiguredException;
import io.kache.api.StoreUnavailableException;
import io.kache.testkit.s3.RecordedRequest;
import io.kache.testkit.s3.S3TestServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kache's own GETs and HEADs against a real S3 server (S3Proxy on loopback, which checks every
 * signature), and against a plain HTTP server for answers that are not S3's.
 */
class DirectReadsTest {

    private static final String BUCKET = "direct";
    private static final String SECRET = "direct-reads-secret-0123456789";
    @TempDir
    static Path dir;
    private static S3TestServer s3;

    private final AtomicInteger libraryOpens = new AtomicInteger();

    @BeforeAll
    static void startServer() throws Exception {
        s3 = S3TestServer.start(dir.resolve("s3"), "AKIDDIRECT", SECRET);
        s3.createBucket(BUCKET);
    }

    @AfterAll
    static void stopServer() {
        s3.close();
    }

    @BeforeEach
    void clear() {
        s3.clearRequests();
    }

    private BucketClient open(RemoteSettings settings) throws StoreException {
        S3ErrorMapper errors = new S3ErrorMapper(settings.bucket().orElseThrow(), "artifacts", "the test server");
        return DirectReads.of(settings, errors, () -> {
            libraryOpens.incrementAndGet();
            return new NoLibrary();
        }).orElseThrow();
    }

    private static byte[] read(BucketClient client, String name) throws Exception {
        BucketClient.Download d = client.getObject(name).orElseThrow();
        try (d; InputStream in = d.body()) {
            byte[] bytes = in.readAllBytes();
            assertEquals(bytes.length, d.length());
            return bytes;
        }
    }

    @Test
    void readsAndHeadsSignedByKacheWithoutTheLibrary() throws Exception {
        byte[] content = "a pack's bytes".repeat(5000).getBytes(StandardCharsets.UTF_8);
        s3.putObject(BUCKET, "artifacts/serde/0abc.tar.zst", content);
        try (BucketClient client = open(s3.remoteSettings(BUCKET, "artifacts"))) {
            assertArrayEquals(content, read(client, "artifacts/serde/0abc.tar.zst"));
            assertTrue(client.getObject("artifacts/serde/missing.tar.zst").isEmpty());
            assertTrue(client.headObject("artifacts/serde/0abc.tar.zst"));
            assertFalse(client.headObject("artifacts/serde/missing.tar.zst"));
            assertEquals(0, libraryOpens.get(), "reads never build the library's client");

            assertThrows(UnsupportedOperationException.class, () -> client.listObjects("artifacts/"));
            assertThrows(UnsupportedOperationException.class, () -> client.deleteObject("x"));
            assertEquals(1, libraryOpens.get(), "the library's client is built once, by the first call that needs it");
        }
        assertEquals(List.of("GET", "GET", "HEAD", "HEAD"), s3.requests().stream().map(RecordedRequest::method).toList());
    }

    @Test
    void namesWithAnyCharacterAreEncodedAsTheServerChecksThem() throws Exception {
        String name = "ci cache/records/a+b=c/ü~(1)!*'@:;,$&.bin";
        s3.putObject(BUCKET, name, new byte[] {1, 2, 3});
        try (BucketClient client = open(s3.remoteSettings(BUCKET, "ci cache"))) {
            assertArrayEquals(new byte[] {1, 2, 3}, read(client, name));
            assertTrue(client.headObject(name));
        }
    }

    @Test
    void aBodyAbandonedHalfWayLeavesTheNextReadWhole() throws Exception {
        byte[] content = new byte[3 * 1024 * 1024];
        new java.util.Random(7).nextBytes(content);
        s3.putObject(BUCKET, "artifacts/big/1.tar.zst", content);
        try (BucketClient client = open(s3.remoteSettings(BUCKET, "artifacts"))) {
            for (int i = 0; i < 3; i++) {
                BucketClient.Download d = client.getObject("artifacts/big/1.tar.zst").orElseThrow();
                assertEquals(content.length, d.length());
                assertEquals(1024, d.body().readNBytes(1024).length);
                d.abandon();
                d.close();
                assertArrayEquals(content, read(client, "artifacts/big/1.tar.zst"));
            }
        }
    }

    @Test
    void aWrongSecretIsAccessDeniedWithTheHintAndNeverTheSecret() throws Exception {
        String wrong = "not-the-secret-9876543210";
        RemoteSettings settings = s3.remoteSettings(BUCKET, "artifacts").withCredentials(
                Optional.of(new S3Credentials("AKIDDIRECT", wrong, Optional.empty(), "test")),
                S3CredentialSource.staticKeys("test"));
        try (BucketClient client = open(settings)) {
            StoreAccessDeniedException e = assertThrows(StoreAccessDeniedException.class,
                    () -> client.getObject("artifacts/serde/0abc.tar.zst"));
            assertEquals("GetObject", e.operation());
            assertTrue(e.getMessage().contains("secret key does not match"), e.getMessage());
            assertNoneSays(e, wrong, SECRET);
            assertThrows(StoreAccessDeniedException.class, () -> client.headObject("artifacts/serde/0abc.tar.zst"));
        }
    }

    private static void assertNoneSays(Throwable thrown, String... secrets) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            for (String secret : secrets) {
                assertFalse(String.valueOf(t.getMessage()).contains(secret), t.toString());
                assertFalse(t.toString().contains(secret), t.toString());
            }
        }
    }

    @Test
    void aSessionTokenHttpForbidsIsRefusedBeforeAnyRequestAndNeverShown() throws Exception {
        String token = "FQoGZXIvYXdzE\nX-Injected: yes";
        RemoteSettings settings = s3.remoteSettings(BUCKET, "artifacts").withCredentials(
                Optional.of(new S3Credentials("AKIDDIRECT", SECRET, Optional.of(token), "test")),
                S3CredentialSource.staticKeys("test"));
        try (BucketClient client = open(settings)) {
            StoreMisconfiguredException e = assertThrows(StoreMisconfiguredException.class,
                    () -> client.getObject("artifacts/serde/0abc.tar.zst"));
            assertTrue(e.getMessage().contains("cannot be signed or sent"), e.getMessage());
            assertNoneSays(e, "FQoGZXIvYXdzE", "X-Injected", SECRET);
        }
        assertEquals(List.of(), s3.requests(), "nothing sent, nothing retried");
    }

    @Test
    void aTimeoutPastWhatTheUrlConnectionTakesStillReads() throws Exception {
        s3.putObject(BUCKET, "artifacts/serde/long.tar.zst", new byte[] {4, 2});
        RemoteSettings s = s3.remoteSettings(BUCKET, "artifacts");
        RemoteSettings patient = new RemoteSettings(s.type(), s.client(), s.bucket(), s.region(), s.endpoint(), s.layout(),
                s.profile(), s.path(), s.readOnly(), java.time.Duration.ofDays(30), s.credentials(), s.options());
        try (BucketClient client = open(patient)) {
            assertArrayEquals(new byte[] {4, 2}, read(client, "artifacts/serde/long.tar.zst"));
        }
    }

    @Test
    void aRedirectIsClassifiedByTheCodeInItsBody() throws Exception {
        HttpServer elsewhere = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        elsewhere.createContext("/", exchange -> {
            byte[] body = ("<?xml version=\"1.0\"?><Error><Code>PermanentRedirect</Code>"
                    + "<RequestId>R301</RequestId></Error>").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Location", "https://elsewhere.example/");
            exchange.sendResponseHeaders(301, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        elsewhere.start();
        try (BucketClient client = open(s3.remoteSettings(BUCKET, "artifacts")
                .withEndpoint(URI.create("http://127.0.0.1:" + elsewhere.getAddress().getPort())))) {
            StoreMisconfiguredException e = assertThrows(StoreMisconfiguredException.class,
                    () -> client.getObject("artifacts/x/1.tar.zst"));
            assertTrue(e.getMessage().contains("HTTP 301 PermanentRedirect, request id R301"), e.getMessage());
            assertTrue(e.getMessage().contains("set [cache.remote] region"), e.getMessage());
        } finally {
            elsewhere.stop(0);
        }
    }

    @Test
    void aMissingBucketIsMisconfiguredNamingIt() throws Exception {
        try (BucketClient client = open(s3.remoteSettings("no-such-bucket", "artifacts"))) {
            StoreMisconfiguredException e = assertThrows(StoreMisconfiguredException.class,
                    () -> client.getObject("artifacts/serde/0abc.tar.zst"));
            assertTrue(e.getMessage().contains("bucket 'no-such-bucket' does not exist"), e.getMessage());
        }
    }

    @Test
    void aServerFailureIsRetriedAndThreeAreAnOutage() throws Exception {
        s3.putObject(BUCKET, "artifacts/serde/retry.tar.zst", new byte[] {9});
        try (BucketClient client = open(s3.remoteSettings(BUCKET, "artifacts"))) {
            s3.failNextRequests(1);
            assertArrayEquals(new byte[] {9}, read(client, "artifacts/serde/retry.tar.zst"));
            s3.clearRequests();
            s3.failNextRequests(S3RetryPolicy.MAX_ATTEMPTS);
            StoreUnavailableException e = assertThrows(StoreUnavailableException.class,
                    () -> client.getObject("artifacts/serde/retry.tar.zst"));
            assertTrue(e.getMessage().contains("HTTP 500 InternalError"), e.getMessage());
            assertEquals(S3RetryPolicy.MAX_ATTEMPTS, s3.requests().size());
        }
    }

    @Test
    void answersThatAreNotS3sAreClassifiedByTheirStatus() throws Exception {
        HttpServer proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicInteger requests = new AtomicInteger();
        proxy.createContext("/", exchange -> {
            requests.incrementAndGet();
            int status = exchange.getRequestURI().getPath().contains("denied") ? 403 : 502;
            byte[] page = "<html><body>Bad Gateway</body></html>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        proxy.start();
        try (BucketClient client = open(s3.remoteSettings(BUCKET, "artifacts")
                .withEndpoint(URI.create("http://127.0.0.1:" + proxy.getAddress().getPort())))) {
            StoreUnavailableException down = assertThrows(StoreUnavailableException.class,
                    () -> client.getObject("artifacts/x/1.tar.zst"));
            assertTrue(down.getMessage().contains("HTTP 502"), down.getMessage());
            assertEquals(S3RetryPolicy.MAX_ATTEMPTS, requests.get(), "a 502 is retried");
            requests.set(0);
            assertThrows(StoreAccessDeniedException.class, () -> client.getObject("artifacts/denied/1.tar.zst"));
            assertEquals(1, requests.get(), "a 403 is not");
        } finally {
            proxy.stop(0);
        }
    }

    @Test
    void aServerThatIsGoneIsUnreachable() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        try (BucketClient client = open(s3.remoteSettings(BUCKET, "artifacts")
                .withEndpoint(URI.create("http://127.0.0.1:" + port)))) {
            StoreUnavailableException e = assertThrows(StoreUnavailableException.class,
                    () -> client.getObject("artifacts/x/1.tar.zst"));
            assertTrue(e.getMessage().contains("connection refused"), e.getMessage());
        }
    }

    @Test
    void onlyRequestsKnownWithoutTheLibraryAreSentDirectly() throws Exception {
        S3ErrorMapper errors = new S3ErrorMapper(BUCKET, "artifacts", "the test server");
        DirectReads.LibraryClient none = NoLibrary::new;
        RemoteSettings onServer = s3.remoteSettings(BUCKET, "artifacts");
        assertTrue(DirectReads.of(onServer, errors, none).isPresent());
        assertTrue(DirectReads.of(onServer.withCredentials(Optional.empty(),
                S3CredentialSource.containerOrInstance()), errors, none).isEmpty(), "credentials the SDK resolves");
        assertTrue(DirectReads.of(onServer.withEndpoint(URI.create("http://127.0.0.1:1/base")), errors, none)
                .isEmpty(), "an endpoint with a path");
        RemoteSettings aws = new RemoteSettings("s3", Optional.empty(), Optional.of(BUCKET), "eu-west-1",
                Optional.empty(), onServer.layout(), Optional.empty(), Optional.empty(), false, onServer.timeout(),
                onServer.credentials(), java.util.Map.of());
        assertTrue(DirectReads.of(aws, errors, none).isPresent(), "AWS's regional endpoint");
        assertEquals(Optional.of(URI.create("https://s3.eu-west-1.amazonaws.com")), DirectReads.base(aws));
        RemoteSettings virginia = new RemoteSettings("s3", Optional.empty(), Optional.of(BUCKET), "us-east-1",
                Optional.empty(), onServer.layout(), Optional.empty(), Optional.empty(), false, onServer.timeout(),
                onServer.credentials(), java.util.Map.of());
        assertEquals(Optional.of(URI.create("https://s3.amazonaws.com")), DirectReads.base(virginia),
                "where the SDK sends path-style requests for us-east-1");
        assertTrue(DirectReads.of(onServer.withEndpoint(URI.create("http://[fe80::1%25eth0]:9000")), errors, none)
                .isEmpty(), "an IPv6 zone id, which the URL connection leaves out of the Host it signs");
        for (String region : List.of("cn-north-1", "us-gov-west-1", "us-isob-east-1", "auto")) {
            RemoteSettings other = new RemoteSettings("s3", Optional.empty(), Optional.of(BUCKET), region,
                    Optional.empty(), onServer.layout(), Optional.empty(), Optional.empty(), false, onServer.timeout(),
                    onServer.credentials(), java.util.Map.of());
            assertTrue(DirectReads.of(other, errors, none).isEmpty(), region);
        }
    }

    /** Stands for the library's client: the tests only count when it is built. */
    private static final class NoLibrary implements BucketClient {
        @Override
        public Optional<Download> getObject(String name) {
            throw new AssertionError("reads never reach the library");
        }

        @Override
        public boolean headObject(String name) {
            throw new AssertionError("reads never reach the library");
        }

        @Override
        public void putObject(String name, ArtifactSource source) {
            throw new UnsupportedOperationException();
        }

        @Override
        public S3KeyListing.ObjectNames listObjects(String prefix) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void deleteObject(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }
}
