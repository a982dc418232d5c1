package io.kache.testkit.s3;

import io.kache.api.ArtifactLayout;
import io.kache.api.RemoteSettings;
import io.kache.api.S3Credentials;
import io.kache.testkit.Deadline;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;

/**
 * A real S3 server (S3Proxy) for tests, in-process on {@code 127.0.0.1} with a free port, SigV4
 * signatures enforced for one key pair, objects kept in a directory. Start one per test class or
 * per test; {@link #close()} stops it.
 *
 * <pre>{@code
 * try (S3TestServer s3 = S3TestServer.start(tempDir, "AKIDTEST", "secret")) {
 *     s3.createBucket("cache");
 *     // point a client at s3.endpoint() with region S3TestServer.REGION
 * }
 * }</pre>
 *
 * <p>Thread-safe. Buckets are created through {@link #createBucket}, never by the code under test.
 */
public final class S3TestServer implements AutoCloseable {

    /** The region clients should sign for; S3Proxy accepts any, but tests should agree. */
    public static final String REGION = "us-east-1";
    /** How long {@link #start} waits for the server to accept connections. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private static final String LOOPBACK = "127.0.0.1";

    private final S3Proxy proxy;
    private final S3ServerFiles files;
    private final RecordingBlobStore recorder;
    private final Path directory;
    private final String accessKey;
    private final String secretKey;
    private final URI endpoint;
    private final Duration startupTime;
    private volatile boolean stopped;

    private S3TestServer(S3Proxy proxy, S3ServerFiles files, RecordingBlobStore recorder, Path directory,
            String accessKey, String secretKey, Duration startupTime, String host) {
        this.proxy = proxy;
        this.files = files;
        this.recorder = recorder;
        this.directory = directory;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.endpoint = URI.create("http://" + host + ":" + proxy.getPort());
        this.startupTime = startupTime;
    }

    /**
     * Starts a read-write server over {@code directory} (created if missing) and waits until it
     * accepts requests.
     *
     * @throws AssertionError if it is not up within {@link #START_TIMEOUT}
     */
    public static S3TestServer start(Path directory, String accessKey, String secretKey) throws Exception {
        return start(directory, accessKey, secretKey, false, LOOPBACK);
    }

    /**
     * {@link #start(Path, String, String)} listening on {@code host} (an address of this machine or
     * of the network namespace it runs in) instead of 127.0.0.1: for benchmarks that reach the
     * server over a modelled network.
     */
    public static S3TestServer startOn(String host, Path directory, String accessKey, String secretKey)
            throws Exception {
        return start(directory, accessKey, secretKey, false, host);
    }

    /** Every later request waits {@code latency} before it is served, as over a network with that round trip (benchmarks). */
    public void delayEachRequest(Duration latency) {
        recorder.delayEach(latency);
    }

    /**
     * Starts a second server over this one's directory, with its own key pair, that reads like
     * this one and answers every write with {@code 403 AccessDenied}: the view of a user granted
     * only {@code s3:GetObject} and {@code s3:ListBucket}. The caller closes it.
     */
    public S3TestServer startReadOnly(String readAccessKey, String readSecretKey) throws Exception {
        return start(directory, readAccessKey, readSecretKey, true, LOOPBACK);
    }

    private static S3TestServer start(Path directory, String accessKey, String secretKey, boolean readOnly,
            String host) throws Exception {
        Objects.requireNonNull(accessKey, "accessKey");
        Objects.requireNonNull(secretKey, "secretKey");
        long begin = System.nanoTime();
        Files.createDirectories(directory);
        S3ServerFiles files = S3ServerFiles.in(directory);
        BlobStore served = readOnly ? new DenyWritesBlobStore(files.blobStore()) : files.blobStore();
        // Recording outside the write guard, so refused writes show in the log too.
        RecordingBlobStore recorder = new RecordingBlobStore(served);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(recorder)
                .endpoint(URI.create("http://" + host + ":0"))
                .awsAuthentication(AuthenticationType.AWS_V4, accessKey, secretKey)
                // Temporary credentials (STS, SSO, credential_process) sign an x-amz-security-token
                // header, which S3 checks and S3Proxy otherwise answers with 501 NotImplemented.
                // The signature over it is still checked.
                .ignoreUnknownHeaders(true)
                // Stop at once: a client's idle keep-alive connection must not hold a test for seconds.
                .stopTimeout(0)
                .build();
        proxy.start();
        Deadline deadline = Deadline.in(START_TIMEOUT);
        deadline.await("S3Proxy on " + directory + " to start", () -> "STARTED".equals(proxy.getState()));
        Duration startup = Duration.ofNanos(System.nanoTime() - begin);
        return new S3TestServer(proxy, files, recorder, directory, accessKey, secretKey, startup, host);
    }

    /** {@code http://127.0.0.1:port}, or the host it was started on. */
    public URI endpoint() {
        return endpoint;
    }

    public String accessKey() {
        return accessKey;
    }

    /** The test secret this server checks signatures against (a test value, not a real secret). */
    public String secretKey() {
        return secretKey;
    }

    public Path directory() {
        return directory;
    }

    /**
     * Settings for an {@code s3} remote on this server: its endpoint, region and key pair, the
     * given bucket and prefix, a 10 s timeout, no client choice.
     */
    public RemoteSettings remoteSettings(String bucket, String prefix) {
        return new RemoteSettings("s3", Optional.empty(), Optional.of(bucket), REGION, Optional.of(endpoint),
                ArtifactLayout.withPrefix(prefix), Optional.empty(), Optional.empty(), false, Duration.ofSeconds(10),
                Optional.of(new S3Credentials(accessKey, secretKey, Optional.empty(), "S3TestServer keys")), Map.of());
    }

    /** Wall time from {@link #start} to the first moment the server accepted requests. */
    public Duration startupTime() {
        return startupTime;
    }

    /** Creates {@code bucket} behind the server's back (no HTTP). Creating it twice is harmless. */
    public void createBucket(String bucket) {
        files.createBucket(bucket);
    }

    /**
     * Writes an object behind the server's back, as another tool sharing the bucket might: for
     * tests of foreign objects. Not recorded in {@link #requests()}.
     */
    public void putObject(String bucket, String key, byte[] content) {
        files.putObject(bucket, key, content);
    }

    /** Every request that reached storage since start or {@link #clearRequests()}, in order. */
    public List<RecordedRequest> requests() {
        return recorder.requests();
    }

    /** Only the ListObjects requests, in order. */
    public List<RecordedRequest> listRequests() {
        return requests().stream().filter(RecordedRequest::isList).toList();
    }

    public void clearRequests() {
        recorder.clear();
    }

    /**
     * Answers the next {@code count} requests that reach storage with {@code 500 InternalError}
     * (recorded like any other), to test retries.
     */
    public void failNextRequests(int count) {
        recorder.failNext(count);
    }

    /**
     * From now on every listing answers with its first page, marked truncated, and the same
     * continuation token: a listing that never ends unless the client notices. {@code false} ends it.
     */
    public void repeatListingPages(boolean on) {
        recorder.repeatListings(on);
    }

    /**
     * Holds the requests that reach storage until {@code parallel} of them wait together (or
     * {@link RequestGate#MAX_WAIT} passed), then lets them all through: to see how many requests a
     * client sends at once. See {@link #mostRequestsHeldAtOnce()}.
     */
    public void holdRequestsUntil(int parallel) {
        recorder.gate().holdUntil(parallel);
    }

    /** The most requests that waited together since {@link #holdRequestsUntil}. */
    public int mostRequestsHeldAtOnce() {
        return recorder.gate().mostWaiting();
    }

    public boolean isRunning() {
        return !stopped && "STARTED".equals(proxy.getState());
    }

    /**
     * Stops accepting connections; later requests are refused, as by a server that went away.
     * Idempotent. The directory is kept, so a new server can be started over it.
     */
    public void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            proxy.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping " + this, e);
        } catch (Exception e) {
            throw new IllegalStateException("stopping " + this + " failed", e);
        } finally {
            files.close();
        }
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "S3TestServer[" + endpoint + ", " + directory + "]";
    }
}
