package io.kache.s3.minio;

import io.kache.api.RemoteSettings;
import io.kache.api.S3Credentials;
import io.kache.api.StoreMisconfiguredException;
import io.minio.MinioClient;
import io.minio.credentials.IamAwsProvider;
import io.minio.credentials.Provider;
import io.minio.credentials.StaticProvider;
import java.net.URI;
import java.time.Duration;
import okhttp3.OkHttpClient;

/** Builds the OkHttp and MinIO clients for a remote; every setting S3-compatible servers need lives here. */
final class MinioClientFactory {

    /** The AWS endpoint used when none is configured. */
    static final String AWS_ENDPOINT_TEMPLATE = "https://s3.%s.amazonaws.com";

    private MinioClientFactory() {
    }

    static OkHttpClient http(RemoteSettings settings) {
        Duration timeout = settings.timeout();
        Duration connect = timeout.dividedBy(Retrier.MAX_ATTEMPTS).compareTo(Duration.ofMillis(200)) < 0
                ? Duration.ofMillis(200) : timeout.dividedBy(Retrier.MAX_ATTEMPTS);
        return new OkHttpClient.Builder()
                .connectTimeout(connect)
                .readTimeout(timeout)
                .writeTimeout(timeout)
                .build();
    }

    static MinioClient build(RemoteSettings settings, OkHttpClient http) throws StoreMisconfiguredException {
        URI endpoint = endpoint(settings);
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

    /** The configured endpoint, or AWS S3's regional one. MinIO uses path-style for non-AWS hosts. */
    static URI endpoint(RemoteSettings settings) throws StoreMisconfiguredException {
        URI endpoint = settings.endpoint()
                .orElse(URI.create(String.format(AWS_ENDPOINT_TEMPLATE, settings.region())));
        String scheme = endpoint.getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || endpoint.getHost() == null) {
            throw new StoreMisconfiguredException("endpoint '" + endpoint
                    + "' must be http://host[:port] or https://host[:port]");
        }
        return endpoint;
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
