package io.kache.testkit.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactSource;
import io.kache.api.ArtifactStore;
import io.kache.api.ArtifactStoreProvider;
import io.kache.api.EntryRejectedException;
import io.kache.api.RemoteSettings;
import io.kache.api.S3Credentials;
import io.kache.api.StoreAccessDeniedException;
import io.kache.api.StoreException;
import io.kache.api.StoreMisconfiguredException;
import io.kache.api.StoreUnavailableException;
import io.kache.testkit.SystemErrCapture;
import io.kache.testkit.TestKeys;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failures a user of an S3 provider meets, against a real {@link S3TestServer} started for each
 * test: each is typed, clear, bounded and secret-free, and {@code describe} shows no secret either.
 *
 * <pre>{@code
 * class MyS3StoreFailureTest extends S3FailureContract {
 *     protected ArtifactStoreProvider provider() { return new MyS3Provider(); }
 * }
 * }</pre>
 */
public abstract class S3FailureContract {

    private static final String BUCKET = "cache";
    private static final String SECRET = "the-real-secret-0123456789";
    private static final ArtifactKey KEY = TestKeys.key("serde", 1);
    /** Attempts per call, the first included (kache-core's S3RetryPolicy): what a persistent 5xx costs. */
    private static final int ATTEMPTS = 3;
    /**
     * A single PUT past 1 MiB: long enough that a server refusing it before it has read the whole
     * body closes the connection while the client still writes; below any multipart part size
     * (5 MiB at least).
     */
    private static final int LARGE_UPLOAD = 2 * 1024 * 1024;

    @TempDir
    Path dir;

    private S3TestServer server;

    /** The provider under test; its {@code open} is what users call. */
    protected abstract ArtifactStoreProvider provider();

    /**
     * Opens the store with read-only credentials for
     * {@link #readOnlyCredentialsGetAccessDeniedOnPutWithTheRemoteReadonlyHint}; override to watch
     * its requests from the client side.
     */
    protected ArtifactStore openReader(RemoteSettings settings) throws Exception {
        return provider().open(settings);
    }

    /**
     * How many write attempts the read-only server refused so far; by default the PUTs that reached
     * it. A client that may lose an attempt to a stale keep-alive connection counts 403 answers.
     */
    protected long refusedWrites(S3TestServer readOnly) {
        return readOnly.requests().stream().filter(r -> r.method().equals("PUT")).count();
    }

    @BeforeEach
    final void startServer() throws Exception {
        server = S3TestServer.start(dir, "AKIDFAILURES", SECRET);
        server.createBucket(BUCKET);
    }

    @AfterEach
    final void stopServer() {
        server.close();
    }

    private RemoteSettings settings() {
        return server.remoteSettings(BUCKET, "artifacts");
    }

    private static RemoteSettings withSecret(RemoteSettings s, String secret) {
        return new RemoteSettings(s.type(), s.client(), s.bucket(), s.region(), s.endpoint(), s.layout(), s.profile(),
                s.path(), s.readOnly(), s.timeout(),
                Optional.of(new S3Credentials(s.credentials().orElseThrow().accessKeyId(), secret, Optional.empty(),
                        "test")), s.options());
    }

    private static RemoteSettings withBucket(RemoteSettings s, String bucket) {
        return new RemoteSettings(s.type(), s.client(), Optional.of(bucket), s.region(), s.endpoint(), s.layout(),
                s.profile(), s.path(), s.readOnly(), Duration.ofSeconds(2), s.credentials(), s.options());
    }

    private static RemoteSettings withTimeout(RemoteSettings s, Duration timeout) {
        return new RemoteSettings(s.type(), s.client(), s.bucket(), s.region(), s.endpoint(), s.layout(), s.profile(),
                s.path(), s.readOnly(), timeout, s.credentials(), s.options());
    }

    private static void assertNoSecret(String secret, Throwable thrown, String log) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains(secret), "secret in message: " + t);
        }
        assertFalse(log.contains(secret), "secret in log: " + log);
    }

    @Test
    void wrongSecretIsAccessDeniedNamingBucketAndOperationWithoutTheSecret() throws Exception {
        String wrong = "wrong-secret-abcdefghij";
        try (ArtifactStore store = provider().open(withSecret(settings(), wrong))) {
            StoreAccessDeniedException[] thrown = new StoreAccessDeniedException[1];
            String log = SystemErrCapture.of(() -> thrown[0] = assertThrows(StoreAccessDeniedException.class,
                    () -> store.load(KEY, (in, size) -> { })));
            assertEquals("GetObject", thrown[0].operation());
            assertTrue(thrown[0].location().startsWith("s3://" + BUCKET + "/"), thrown[0].location());
            assertTrue(thrown[0].getMessage().contains("secret key does not match"), thrown[0].getMessage());
            assertNoSecret(wrong, thrown[0], log);
            assertNoSecret(SECRET, thrown[0], log);
            assertThrows(StoreAccessDeniedException.class, () -> store.list("serde"));
        }
    }

    @Test
    void unknownBucketIsMisconfiguredNamingTheBucket() throws Exception {
        try (ArtifactStore store = provider().open(withBucket(settings(), "no-such-bucket"))) {
            StoreMisconfiguredException onLoad = assertThrows(StoreMisconfiguredException.class,
                    () -> store.load(KEY, (in, size) -> { }));
            assertTrue(onLoad.getMessage().contains("bucket 'no-such-bucket' does not exist"), onLoad.getMessage());
            assertThrows(StoreMisconfiguredException.class, () -> store.list("serde"));
            assertThrows(StoreMisconfiguredException.class,
                    () -> store.store(KEY, ArtifactSource.ofBytes(new byte[] {1})));
        }
    }

    @Test
    void stoppedServerIsUnavailableWithinTheConfiguredTimeout() throws Exception {
        RemoteSettings s = withBucket(settings(), BUCKET);
        try (ArtifactStore store = provider().open(s)) {
            store.store(KEY, ArtifactSource.ofBytes(new byte[] {1, 2}));
            server.stop();
            long start = System.nanoTime();
            assertThrows(StoreUnavailableException.class, () -> store.load(KEY, (in, size) -> { }));
            assertThrows(StoreUnavailableException.class, () -> store.contains(KEY));
            assertThrows(StoreUnavailableException.class, () -> store.list("serde"));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(s.timeout().multipliedBy(3)) < 0, "three calls took " + took);
        }
    }

    /**
     * A server (or a network) that sends a body one byte at a time never lets a read wait out the
     * socket timeout: only a bound on the whole body ends it, with an unavailable store and a message.
     */
    @Test
    void aBodyThatTricklesFailsTheLoadWithinAFewTimeouts() throws Exception {
        RemoteSettings s = withTimeout(settings(), Duration.ofSeconds(2));
        server.putObject(BUCKET, s.layout().objectName(KEY), new byte[64 * 1024]);
        try (FaultProxy relay = FaultProxy.start(server.endpoint());
                ArtifactStore store = provider().open(s.withEndpoint(relay.endpoint()))) {
            relay.trickleBodies(Duration.ofMillis(100));
            long begin = System.nanoTime();
            StoreUnavailableException e = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> assertThrows(StoreUnavailableException.class,
                            () -> store.load(KEY, (in, size) -> in.transferTo(OutputStream.nullOutputStream()))),
                    "a trickling body must end the load");
            Duration took = Duration.ofNanos(System.nanoTime() - begin);
            assertTrue(took.compareTo(s.timeout().multipliedBy(5)) < 0, "took " + took);
            assertTrue(e.getMessage().contains(s.layout().objectName(KEY)) && e.getMessage().contains("slower than"),
                    e.getMessage());
        }
    }

    @Test
    void readOnlyCredentialsGetAccessDeniedOnPutWithTheRemoteReadonlyHint() throws Exception {
        try (ArtifactStore writer = provider().open(settings())) {
            writer.store(KEY, ArtifactSource.ofBytes(new byte[] {7}));
        }
        try (S3TestServer readOnly = server.startReadOnly("AKIDREADER", "reader-secret");
                ArtifactStore reader = openReader(readOnly.remoteSettings(BUCKET, "artifacts"))) {
            assertTrue(reader.load(KEY, (in, size) -> assertEquals(7, in.read())));
            ArtifactKey other = TestKeys.key("serde", 2);
            StoreAccessDeniedException e = assertThrows(StoreAccessDeniedException.class,
                    () -> reader.store(other, ArtifactSource.ofBytes(new byte[] {8})));
            assertEquals("PutObject", e.operation());
            assertTrue(e.getMessage().contains("remote_readonly"), e.getMessage());
            assertEquals(1, refusedWrites(readOnly), "a 403 is never retried: " + readOnly.requests());
        }
    }

    @Test
    void aLargeUploadToAnUnknownBucketIsMisconfiguredNotUnreachable() throws Exception {
        try (ArtifactStore store = provider().open(withBucket(settings(), "no-such-bucket"))) {
            StoreMisconfiguredException e = assertThrows(StoreMisconfiguredException.class,
                    () -> store.store(KEY, ArtifactSource.ofBytes(new byte[LARGE_UPLOAD])));
            assertTrue(e.getMessage().contains("bucket 'no-such-bucket' does not exist"), e.getMessage());
        }
    }

    @Test
    void aLargeUploadWithReadOnlyCredentialsIsAccessDeniedNotUnreachable() throws Exception {
        try (S3TestServer readOnly = server.startReadOnly("AKIDREADER", "reader-secret");
                ArtifactStore reader = openReader(readOnly.remoteSettings(BUCKET, "artifacts"))) {
            StoreAccessDeniedException e = assertThrows(StoreAccessDeniedException.class,
                    () -> reader.store(KEY, ArtifactSource.ofBytes(new byte[LARGE_UPLOAD])));
            assertEquals("PutObject", e.operation());
            assertTrue(e.getMessage().contains("remote_readonly"), e.getMessage());
            assertEquals(1, refusedWrites(readOnly), "a 403 is never retried: " + readOnly.requests());
        }
    }

    /**
     * A proxy in front of the server refuses one entry's body as too large, with a bare 413 and an
     * HTML page (no S3 error body): that entry is rejected alone, not the remote's configuration
     * and not an outage, so it is not retried, and the next entry goes through. Once with a body
     * sent whole, once past 1 MiB (where a client may ask {@code Expect: 100-continue}).
     */
    @Test
    void anUploadAProxyRefusesAsTooLargeIsThatEntrysRejectionAndTheNextGoesThrough() throws Exception {
        RemoteSettings s = settings();
        String refused = s.layout().objectName(KEY);
        try (FaultProxy relay = FaultProxy.start(server.endpoint())) {
            relay.refuseUploadsOf(refused);
            try (ArtifactStore store = provider().open(s.withEndpoint(relay.endpoint()))) {
                for (int size : new int[] {4096, LARGE_UPLOAD}) {
                    EntryRejectedException e = assertThrows(EntryRejectedException.class,
                            () -> store.store(KEY, ArtifactSource.ofBytes(new byte[size])), "a body of " + size);
                    assertFalse(e.isRetryable());
                    assertTrue(e.getMessage().startsWith("PutObject of s3://" + BUCKET + "/" + refused), e.getMessage());
                    assertTrue(e.getMessage().contains("HTTP 413") && e.getMessage().contains("body-size limit"),
                            e.getMessage());
                    assertNoSecret(SECRET, e, "");
                    if (size < LARGE_UPLOAD) {
                        // Counted for the small body only: the JDK's URL connection sends a request whose
                        // Expect: 100-continue was refused again by itself, within one attempt of the SDK.
                        assertEquals(1, relay.refusedAsTooLarge(), "a rejected entry is not retried");
                    }
                }
                ArtifactKey other = TestKeys.key("serde", 2);
                store.store(other, ArtifactSource.ofBytes(new byte[4096]));
                assertTrue(store.contains(other));
                assertFalse(store.contains(KEY));
            }
        }
    }

    @Test
    void readOnlySettingsRefuseToWriteWithoutAskingTheServer() throws Exception {
        try (ArtifactStore store = provider().open(settings().withReadOnly(true))) {
            server.clearRequests();
            assertThrows(StoreAccessDeniedException.class, () -> store.store(KEY, ArtifactSource.ofBytes(new byte[1])));
            assertEquals(0, server.requests().size(), server.requests().toString());
        }
    }

    @Test
    void serverErrorsAreRetriedWithBackoff() throws Exception {
        try (ArtifactStore store = provider().open(settings())) {
            store.store(KEY, ArtifactSource.ofBytes(new byte[] {3}));
            server.clearRequests();
            server.failNextRequests(2);
            assertTrue(store.load(KEY, (in, size) -> assertEquals(3, in.read())));
            assertEquals(3, server.requests().stream().filter(r -> r.method().equals("GET")).count(),
                    server.requests().toString());
        }
    }

    @Test
    void persistentServerErrorsAreUnavailableAfterThreeAttempts() throws Exception {
        try (ArtifactStore store = provider().open(settings())) {
            server.failNextRequests(100);
            StoreUnavailableException e = assertThrows(StoreUnavailableException.class,
                    () -> store.contains(KEY));
            assertTrue(e.isRetryable());
            assertEquals(ATTEMPTS, server.requests().size(), server.requests().toString());
        }
    }

    @Test
    void missingBucketSettingIsMisconfiguredAtOpen() {
        RemoteSettings s = settings();
        RemoteSettings noBucket = new RemoteSettings(s.type(), s.client(), Optional.empty(), s.region(), s.endpoint(),
                s.layout(), s.profile(), s.path(), false, s.timeout(), s.credentials(), s.options());
        StoreException e = assertThrows(StoreMisconfiguredException.class, () -> provider().open(noBucket));
        assertTrue(e.getMessage().contains("bucket"), e.getMessage());
    }

    @Test
    void listingReachesTheServerOnlyForTheCratesPrefix() throws Exception {
        try (ArtifactStore store = provider().open(settings())) {
            server.clearRequests();
            try (Stream<ArtifactKey> keys = store.list("serde")) {
                assertEquals(0, keys.count());
            }
            assertEquals(1, server.listRequests().size());
            RecordedRequest list = server.listRequests().get(0);
            assertEquals("artifacts/serde/", list.queryParameter("prefix"));
        }
    }

    @Test
    void aListingWhoseServerRepeatsItsPagesEndsWithAnErrorNamingThePrefix() throws Exception {
        try (ArtifactStore store = provider().open(settings())) {
            store.store(KEY, ArtifactSource.ofBytes(new byte[] {5}));
            server.repeatListingPages(true);
            server.clearRequests();
            StoreException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> assertThrows(StoreException.class, () -> countKeys(store, "serde")),
                    "a listing that repeats its pages must end");
            assertTrue(e.getMessage().contains("artifacts/serde/") && e.getMessage().contains("does not end"),
                    e.getMessage());
            assertTrue(server.listRequests().size() <= 3, server.listRequests().size() + " LIST requests");
        }
    }

    @Test
    void aListingOfEmptyPagesWhoseServerRepeatsItsTokenEnds() throws Exception {
        try (ArtifactStore store = provider().open(settings())) {
            server.repeatListingPages(true);
            server.clearRequests();
            // Nothing but the token tells that these pages go round in circles. A client may stop at
            // an empty truncated page; if it goes on, it must notice the token.
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                try {
                    assertEquals(0, countKeys(store, "tokio"));
                } catch (StoreException e) {
                    assertTrue(e.getMessage().contains("artifacts/tokio/"), e.getMessage());
                }
            }, "a listing that repeats its pages must end");
            assertTrue(server.listRequests().size() <= 3, server.listRequests().size() + " LIST requests");
        }
    }

    private static long countKeys(ArtifactStore store, String crate) throws StoreException {
        try (Stream<ArtifactKey> keys = store.list(crate)) {
            return keys.count();
        } catch (UncheckedIOException u) {
            if (u.getCause() instanceof StoreException s) {
                throw s;
            }
            throw u;
        }
    }

    @Test
    void describeNamesTheSourceOfCredentialsButNoSecretNorTheWholeKeyId() {
        Map<String, String> d = provider().describe(server.remoteSettings("b", "artifacts"));
        assertEquals("b", d.get("bucket"));
        assertEquals("path-style", d.get("addressing"));
        // The access key id is half of a credential: its last four characters tell keys apart, no more.
        assertTrue(d.get("credentials").contains("****URES"), d.toString());
        assertFalse(d.toString().contains("AKIDFAILURES"), d.toString());
        assertFalse(d.toString().contains(SECRET), d.toString());
    }
}
