package io.kache.s3.minio;

import io.kache.api.RemoteSettings;
import io.kache.api.S3CredentialSource;
import io.kache.api.S3Credentials;
import io.kache.api.StoreMisconfiguredException;
import io.kache.core.remote.s3.backend.S3Connections;
import io.kache.core.remote.s3.backend.S3Endpoint;
import io.kache.core.remote.s3.backend.S3RetryPolicy;
import io.minio.MinioClient;
import io.minio.credentials.IamAwsProvider;
import io.minio.credentials.Jwt;
import io.minio.credentials.Provider;
import io.minio.credentials.StaticProvider;
import io.minio.credentials.WebIdentityProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/** Builds the OkHttp and MinIO clients for a remote; every setting S3-compatible servers need lives here. */
final class MinioClientFactory {

    /** The AWS endpoint used when none is configured. */
    private static final String AWS_ENDPOINT_TEMPLATE = "https://s3.%s.amazonaws.com";

    /** The session asked of STS for a web identity token, as the AWS SDK asks (one hour). */
    private static final int TOKEN_LIFETIME_SECONDS = 3600;

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
                    // Shares the pool and dispatcher; the credential providers keep the plain client.
                    .httpClient(http.newBuilder().addInterceptor(new BareErrorAnswers()).build())
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
        return settings.endpoint().map(S3Endpoint::shown)
                .orElse(String.format(AWS_ENDPOINT_TEMPLATE, settings.region()));
    }

    /**
     * The MinIO client's provider for the kind of credential kache's chain found. It has no
     * profile reader, credential_process or SSO support: a profile of those kinds is refused with a
     * message that names the kind and the way out (the AWS client), rather than silently using the
     * instance role.
     */
    static Provider credentials(RemoteSettings settings, OkHttpClient http) throws StoreMisconfiguredException {
        S3CredentialSource source = settings.credentialSource();
        return switch (source.kind()) {
            case STATIC_KEYS -> {
                S3Credentials c = settings.credentials().orElseThrow();
                yield new StaticProvider(c.accessKeyId(), c.secretAccessKey(), c.sessionToken().orElse(null));
            }
            case WEB_IDENTITY, PROFILE_WEB_IDENTITY -> webIdentity(source, settings.region(), http);
            case CONTAINER_OR_INSTANCE -> new IamAwsProvider(null, http);
            case PROFILE_ASSUME_ROLE, PROFILE_CREDENTIAL_PROCESS, PROFILE_SSO -> throw new StoreMisconfiguredException(
                    "the s3-minio client cannot use " + source.summary() + "; it supports static keys, web identity"
                    + " and the container/instance role. Use client = \"s3-aws\" in [cache.remote] (the default),"
                    + " or a profile with aws_access_key_id/aws_secret_access_key");
        };
    }

    /** AssumeRoleWithWebIdentity at the STS of the call's environment, the token re-read at each refresh. */
    private static Provider webIdentity(S3CredentialSource source, String region, OkHttpClient http)
            throws StoreMisconfiguredException {
        Path tokenFile = Path.of(source.parameter(S3CredentialSource.WEB_IDENTITY_TOKEN_FILE).orElseThrow());
        String stsRegion = source.parameter(S3CredentialSource.STS_REGION)
                .orElse(region.equals("auto") ? RemoteSettings.DEFAULT_REGION : region);
        String endpoint = S3Endpoint.sts(source).orElse("https://sts." + stsRegion + ".amazonaws.com");
        return new WebIdentityProvider(() -> new Jwt(readToken(tokenFile), TOKEN_LIFETIME_SECONDS), endpoint, null,
                null, source.parameter(S3CredentialSource.ROLE_ARN).orElseThrow(),
                source.parameter(S3CredentialSource.ROLE_SESSION_NAME).orElse("kache"), http);
    }

    private static String readToken(Path tokenFile) {
        try {
            return Files.readString(tokenFile).strip();
        } catch (IOException e) {
            // The message names the file, never its content.
            throw new UncheckedIOException("cannot read the web identity token file " + tokenFile, e);
        }
    }
}
