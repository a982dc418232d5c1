package io.kache.s3.aws;

import io.kache.api.RemoteSettings;
import java.util.Optional;
import software.amazon.awssdk.http.urlconnection.ProxyConfiguration;

/**
 * What the SDK reads for itself from this process's environment and system properties that changes
 * where, or through what, a request goes: a proxy ({@code HTTP_PROXY}, {@code http.proxyHost}, read
 * by the url-connection client's default {@link ProxyConfiguration}), and, when kache names no
 * endpoint, {@code AWS_ENDPOINT_URL[_S3]}, FIPS and dual-stack endpoints. kache's own reads
 * ({@code DirectReads}) would send them elsewhere than the SDK's writes, so with any of these set
 * every request stays on the SDK. Read from the process as the SDK reads it, not from a call's
 * environment: it is the SDK's behaviour that must be matched.
 */
final class SdkOnlyRouting {

    private SdkOnlyRouting() {
    }

    /** Why reads must go through the SDK for {@code settings}, or empty when kache may send them. */
    static Optional<String> reason(RemoteSettings settings) {
        if (ProxyConfiguration.builder().build().host() != null) {
            return Optional.of("a proxy from HTTP_PROXY or http.proxyHost");
        }
        if (settings.endpoint().isPresent()) {
            return Optional.empty();
        }
        if (!truthy("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "aws.ignoreConfiguredEndpointUrls")
                && (set("AWS_ENDPOINT_URL_S3", "aws.endpointUrlS3") || set("AWS_ENDPOINT_URL", "aws.endpointUrl"))) {
            return Optional.of("an endpoint from AWS_ENDPOINT_URL");
        }
        if (truthy("AWS_USE_FIPS_ENDPOINT", "aws.useFipsEndpoint")) {
            return Optional.of("FIPS endpoints");
        }
        if (truthy("AWS_USE_DUALSTACK_ENDPOINT", "aws.useDualstackEndpoint")) {
            return Optional.of("dual-stack endpoints");
        }
        return Optional.empty();
    }

    private static String value(String env, String property) {
        String p = System.getProperty(property);
        return p != null ? p : System.getenv(env);
    }

    private static boolean set(String env, String property) {
        String v = value(env, property);
        return v != null && !v.isBlank();
    }

    private static boolean truthy(String env, String property) {
        String v = value(env, property);
        return v != null && v.strip().equalsIgnoreCase("true");
    }
}
