package io.kache.s3.aws;

import io.kache.api.RemoteSettings;
import io.kache.api.StoreMisconfiguredException;
import io.kache.core.remote.s3.backend.S3Endpoint;
import io.kache.core.remote.s3.backend.S3RetryPolicy;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.TrustManager;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * Builds the SDK client for a remote. Every setting that makes S3-compatible servers work lives
 * here, so a test can pin them.
 */
final class AwsClientFactory {

    private AwsClientFactory() {
    }

    static S3Client build(RemoteSettings settings, List<ExecutionInterceptor> interceptors)
            throws StoreMisconfiguredException {
        Duration timeout = settings.timeout();
        AwsCredentialsProvider credentials = AwsCredentialProviders.forSettings(settings);
        AwsCredentialProviders.checkNow(credentials, settings.credentialSource());
        UrlConnectionKeepAlive.reserve();
        UrlConnectionHttpClient.Builder http = UrlConnectionHttpClient.builder()
                .connectionTimeout(S3RetryPolicy.connectTimeout(timeout))
                // A connection that stalls fails after `timeout` without a byte.
                .socketTimeout(timeout);
        if (settings.endpoint().isPresent() && "http".equalsIgnoreCase(settings.endpoint().get().getScheme())) {
            // A plain-http endpoint (a self-hosted server on the runner's network) never uses TLS: no
            // trust store to load. The client builds its TLS context eagerly, and reading the JDK's CA
            // certificates was half of opening the remote in a fresh kache server.
            http.tlsTrustManagersProvider(() -> new TrustManager[0]);
        }
        S3ClientBuilder builder = S3Client.builder()
                // url-connection starts faster than Apache or Netty, and kache is a short-lived process.
                .httpClientBuilder(http)
                .region(Region.of(settings.region()))
                // Path-style: self-hosted servers without bucket DNS, and dotted bucket names over TLS.
                .forcePathStyle(true)
                // Newer SDKs send aws-chunked bodies with checksum trailers by default, which several
                // S3-compatible servers refuse (400 XAmzContentSHA256Mismatch); only send what S3 requires.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                // Over http the SDK otherwise streams uploads as signed aws-chunked bodies, a write per
                // chunk. A server that refuses a PUT from its headers (missing bucket, read-only
                // credentials) answers and closes mid-body, the next write fails, and the refusal
                // reached kache as "cannot reach". A plain body signed by its hash (the SDK reads the
                // source twice) is read whole by S3Proxy before it answers.
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
                .credentialsProvider(credentials)
                .overrideConfiguration(c -> {
                    c.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                            .maxAttempts(S3RetryPolicy.MAX_ATTEMPTS).build());
                    // kache found the credentials and region itself; the S3 client must not read ~/.aws again.
                    c.defaultProfileFile(ProfileFile.aggregator().build());
                    interceptors.forEach(c::addExecutionInterceptor);
                });
        if (settings.endpoint().isPresent()) {
            builder.endpointOverride(S3Endpoint.validated(settings.endpoint().get()));
        }
        try {
            return builder.build();
        } catch (RuntimeException e) {
            throw new StoreMisconfiguredException("cannot build an S3 client for bucket '"
                    + settings.bucket().orElse("?") + "': " + e.getMessage(), e);
        }
    }
}
