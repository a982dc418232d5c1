package io.kache.core.remote.s3.backend;

import io.kache.api.ArtifactSource;
import io.kache.api.RemoteSettings;
import io.kache.api.S3CredentialSource;
import io.kache.api.StoreException;
import io.kache.api.StoreMisconfiguredException;
import io.kache.api.StoreUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * GETs and HEADs sent by kache itself, signed with {@link SigV4} over the JDK's URL connection, in
 * front of a client library that does everything else (PUT, LIST, DELETE), built only when one of
 * those is first asked for.
 *
 * <p>Why not the library for reads too: a CI runner's first build starts a new kache server, whose
 * first work is to read the build's record and prefetch every entry it names, on the build's
 * critical path. On two cores the AWS SDK's client build (about 300 ms before the first request)
 * and its per-request pipeline, run by a young JVM, cost the fresh runner about a second of CPU
 * beside the same build reading a filesystem remote (measured with {@code bench/prefetch.sh}). A
 * signed GET is one HTTP request with four headers; the URL connection is the one the SDK itself
 * was configured with here ({@code UrlConnectionHttpClient}), so proxies, TLS and the keep-alive
 * pool behave as before.
 *
 * <p>Used only where the request is fully known without the SDK: static keys (kache's own chain
 * found them), and the configured endpoint, or AWS's regional endpoint in the standard partition.
 * Retries, timeouts, the body's pace and the error messages are the library clients' own ({@link
 * S3RetryPolicy}, {@link PacedBody}, {@link S3ErrorMapper}).
 */
public final class DirectReads implements BucketClient {

    /** Opens the client library's side, once, when a call other than a read first needs it. */
    @FunctionalInterface
    public interface LibraryClient {
        BucketClient open() throws StoreException;
    }

    /** Regions whose endpoint is {@code s3.<region>.amazonaws.com}: not China, GovCloud or the isolated ones. */
    private static final Pattern STANDARD_REGION = Pattern.compile("(?!cn-|us-gov-)[a-z]{2}-[a-z]+-[0-9]{1,2}");
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final URI base;
    private final String bucket;
    private final SigV4 signer;
    private final Duration timeout;
    private final S3ErrorMapper errors;
    private final S3RetryPolicy retries;
    private final Clock clock;
    private final LibraryClient libraryOpener;
    private BucketClient library;

    DirectReads(URI base, String bucket, SigV4 signer, Duration timeout, S3ErrorMapper errors, Clock clock,
            LibraryClient libraryOpener) {
        this.base = base;
        this.bucket = bucket;
        this.signer = signer;
        this.timeout = timeout;
        this.errors = errors;
        this.retries = new S3RetryPolicy(timeout, e -> e instanceof StoreUnavailableException);
        this.clock = clock;
        this.libraryOpener = libraryOpener;
    }

    /**
     * Direct reads for {@code settings}, or empty where only the library can send them (credentials
     * the library must resolve, a region outside the standard partition, an endpoint with a path).
     *
     * @throws StoreMisconfiguredException if the endpoint is unusable by any client
     */
    public static Optional<BucketClient> of(RemoteSettings settings, S3ErrorMapper errors, LibraryClient library)
            throws StoreException {
        Optional<URI> base = base(settings);
        if (base.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new DirectReads(base.get(), settings.requireBucket(),
                new SigV4(settings.credentials().orElseThrow(), settings.region()), settings.timeout(), errors,
                Clock.systemUTC(), library));
    }

    /** Whether {@link #of} sends {@code settings}' reads itself; never fails. */
    public static boolean applies(RemoteSettings settings) {
        try {
            return base(settings).isPresent();
        } catch (StoreMisconfiguredException e) {
            return false;
        }
    }

    /** Where the reads go, when kache can send them itself. */
    static Optional<URI> base(RemoteSettings settings) throws StoreMisconfiguredException {
        if (settings.credentials().isEmpty() || settings.credentialSource().kind() != S3CredentialSource.Kind.STATIC_KEYS) {
            return Optional.empty();
        }
        if (settings.endpoint().isPresent()) {
            URI endpoint = S3Endpoint.validated(settings.endpoint().get());
            String path = endpoint.getRawPath();
            // The URL connection drops an IPv6 zone id from the Host it sends: the signature would not match.
            boolean bare = (path == null || path.isEmpty() || path.equals("/")) && endpoint.getRawQuery() == null
                    && !endpoint.getHost().contains("%");
            return bare ? Optional.of(endpoint) : Optional.empty();
        }
        if (settings.region().equals("us-east-1")) {
            return Optional.of(URI.create("https://s3.amazonaws.com")); // the SDK's choice for path-style there
        }
        if (STANDARD_REGION.matcher(settings.region()).matches()) {
            return Optional.of(URI.create("https://s3." + settings.region() + ".amazonaws.com"));
        }
        return Optional.empty();
    }

    @Override
    public Optional<Download> getObject(String name) throws StoreException {
        Optional<HttpURLConnection> found = send("GET", name, "GetObject");
        if (found.isEmpty()) {
            return Optional.empty();
        }
        HttpURLConnection c = found.get();
        try {
            long length = c.getContentLengthLong();
            return Optional.of(new UrlDownload(c, PacedBody.of(c.getInputStream(), length, timeout), length));
        } catch (IOException e) {
            c.disconnect();
            throw errors.unreachable("GetObject", name, e);
        }
    }

    @Override
    public boolean headObject(String name) throws StoreException {
        Optional<HttpURLConnection> found = send("HEAD", name, "HeadObject");
        if (found.isEmpty()) {
            return false;
        }
        try (InputStream none = found.get().getInputStream()) {
            return true; // closed without a body to drain, the connection is kept for the next request
        } catch (IOException e) {
            found.get().disconnect();
            return true;
        }
    }

    @Override
    public void putObject(String name, ArtifactSource source) throws StoreException {
        library().putObject(name, source);
    }

    @Override
    public S3KeyListing.ObjectNames listObjects(String prefix) throws StoreException {
        return library().listObjects(prefix);
    }

    @Override
    public void deleteObject(String name) throws StoreException {
        library().deleteObject(name);
    }

    @Override
    public synchronized void close() {
        if (library != null) {
            library.close();
        }
    }

    private synchronized BucketClient library() throws StoreException {
        if (library == null) {
            library = libraryOpener.open();
        }
        return library;
    }

    /** The answer of a request whose status is 2xx, or empty for a missing key. */
    private Optional<HttpURLConnection> send(String method, String name, String operation) throws StoreException {
        try {
            return retries.call(operation, () -> attempt(method, name, operation));
        } catch (StoreException e) {
            throw e;
        } catch (Exception e) {
            throw errors.unreachable(operation, name, e);
        }
    }

    private Optional<HttpURLConnection> attempt(String method, String name, String operation) throws StoreException {
        if (Thread.currentThread().isInterrupted()) {
            // A blocking connect ignores interruption: a sync whose client is gone sends no more requests.
            throw errors.unreachable(operation, name, new InterruptedIOException("interrupted before the request"));
        }
        String rawPath = "/" + SigV4.encodePath(bucket) + "/" + SigV4.encodePath(name);
        HttpURLConnection c = null;
        try {
            URL url;
            try {
                url = base.resolve(rawPath).toURL();
                c = (HttpURLConnection) url.openConnection();
                c.setRequestMethod(method);
                c.setInstanceFollowRedirects(false);
                c.setUseCaches(false);
                c.setConnectTimeout(millis(S3RetryPolicy.connectTimeout(timeout)));
                c.setReadTimeout(millis(timeout));
                for (Map.Entry<String, String> h : signer.sign(method, hostHeader(url), rawPath, clock.instant())
                        .entrySet()) {
                    c.setRequestProperty(h.getKey(), h.getValue());
                }
            } catch (IllegalArgumentException e) {
                // A header value HTTP forbids (a control character in a session token): the JDK's message
                // holds the value, so neither it nor the exception is kept.
                throw errors.unsendable(operation, name, new IllegalArgumentException(
                        "a header value or the object name holds a character HTTP does not allow"));
            }
            int status = c.getResponseCode();
            if (status / 100 == 2) {
                return Optional.of(c);
            }
            // Past 400 the body is the error stream; below (a redirect) the input stream. Read either to its
            // end, paced, so the connection serves the next request.
            InputStream body = status >= 400 ? c.getErrorStream() : redirectBody(c);
            S3ErrorResponse answer = S3ErrorBody.read(status, c.getHeaderField("x-amz-request-id"),
                    body == null ? null : PacedBody.of(body, -1, timeout), MAX_ERROR_BODY);
            if (answer.isMissingKey()) {
                return Optional.empty();
            }
            throw errors.response(answer, operation, name, null);
        } catch (StoreException e) {
            throw e;
        } catch (IOException e) {
            if (c != null) {
                c.disconnect();
            }
            throw errors.unreachable(operation, name, e);
        }
    }

    private static InputStream redirectBody(HttpURLConnection c) {
        try {
            return c.getInputStream();
        } catch (IOException e) {
            return null;
        }
    }

    /** A timeout in the URL connection's milliseconds: never 0 (for ever) nor past an int. */
    private static int millis(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }

    /** The {@code Host} header the URL connection writes: the port only when not the scheme's default. */
    static String hostHeader(URL url) {
        int port = url.getPort();
        return port == -1 || port == url.getDefaultPort() ? url.getHost() : url.getHost() + ":" + port;
    }

    private record UrlDownload(HttpURLConnection connection, InputStream body, long length) implements Download {

        @Override
        public boolean isTransportFailure(RuntimeException e) {
            return e instanceof UncheckedIOException;
        }

        /**
         * disconnect() closes the body as close() does: the JDK still reads the rest of a body of up to
         * 512 KB ({@code http.KeepAlive.remainingData}) on its cleaner thread to keep the connection;
         * only a larger one is dropped unread.
         */
        @Override
        public void abandon() {
            connection.disconnect();
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }
}
