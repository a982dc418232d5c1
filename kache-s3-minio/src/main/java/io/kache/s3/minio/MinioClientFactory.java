package io.kache.s3.minio;

import io.kache.api.RemoteSettings;
import io.kache.api.S3Credentials;
import io.kache.api.StoreMisconfiguredException;
import io.kache.core.remote.s3.backend.S3Connections;
import io.kache.core.remote.s3.backend.S3Endpoint;
import io.kache.core.remote.s3.backend.S3RetryPolicy;
import io.minio.MinioClient;
import io.minio.credentials.IamAwsProvider;
import io.minio.credentials.Provider;
import io.minio.credentials.StaticProvider;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/** Builds the OkHttp and MinIO clients for a remote; every setting S3-compatible servers need lives here. */
final class MinioClientFactory {

    /** The AWS endpoint used when none is configured. */
    private static final String AWS_ENDPOINT_TEMPLATE = "https://s3.%s.amazonaws.com";

    /** OkHttp's default: a connection idle this long is closed, however many are kept. */
    private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(5);

    private MinioClientFactory() {
    }

    static OkHttpClient http(RemoteSettings settings) {
        Duration timeout = settings.timeout();
        return new OkHttpClient.Builder()
                // OkHttp keeps five idle connections, and runs five of the MinIO client's asynchronous
                // calls per host, by default; a sync runs more at once (see S3Connections).
                .connectionPool(new ConnectionPool(S3Connections.MAX_PARALLEL, IDLE_TIMEOUT.toMillis(),
                        TimeUnit.MILLISECONDS))
                .dispatcher(dispatcher())
                .connectTimeout(S3RetryPolicy.connectTimeout(timeout))
                .readTimeout(timeout)
                .writeTimeout(timeout)
                .build();
    }

    private static Dispatcher dispatcher() {
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(S3Connections.MAX_PARALLEL);
        dispatcher.setMaxRequestsPerHost(S3Connections.MAX_PARALLEL);
        return dispatcher;
    }

    static MinioClient build(RemoteSettings settings, OkHttpClient http) throws StoreMisconfiguredException {
        // MinIO uses path-style for non-AWS hosts.
        URI endpoint = S3Endpoint.validated(settings.endpoint().orElse(URI.create(endpointName(settings))));
        try {
            MinioClient client = MinioClient.builder()
                    .endpoint(endpoint.toString())
                    // An explicit region saves a GetBucketLocation call (and the permission it needs).
                    .region(settings.region())
                    .credentialsProvider(credentials(settings, http))
                    .httpClient(http)
                    .build();
            // Path-style always, as with the AWS provider: dotted bucket names over TLS, no bucket DNS.
            client.disableVirtualStyleEndpoint();
            return client;
        } catch (RuntimeException e) {
            throw new StoreMisconfiguredException("cannot build a MinIO client for endpoint '" + endpoint + "': "
                    + e.getMessage(), e);
        }
    }

    /** The configured endpoint, or AWS S3's regional one, as a name that never fails to build. */
    static String endpointName(RemoteSettings settings) {
        return settings.endpoint().map(Object::toString)
                .orElse(String.format(AWS_ENDPOINT_TEMPLATE, settings.region()));
    }

    /** kache's resolved keys, else the container/instance role provider. */
    private static Provider credentials(RemoteSettings settings, OkHttpClient http) {
        if (settings.credentials().isPresent()) {
            S3Credentials c = settings.credentials().get();
            return new StaticProvider(c.accessKeyId(), c.secretAccessKey(), c.sessionToken().orElse(null));
        }
        return new IamAwsProvider(null, http);
    }
}
