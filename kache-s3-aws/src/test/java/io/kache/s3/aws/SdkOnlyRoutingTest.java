package io.kache.s3.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactLayout;
import io.kache.api.RemoteSettings;
import io.kache.api.S3Credentials;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Settings the SDK reads for itself from the process (here through system properties, which it
 * prefers to the environment) keep every request on the SDK, so kache's reads never go elsewhere
 * than its writes.
 */
class SdkOnlyRoutingTest {

    private static final String[] PROPERTIES = {"http.proxyHost", "http.proxyPort", "aws.endpointUrl",
        "aws.endpointUrlS3", "aws.useFipsEndpoint", "aws.useDualstackEndpoint", "aws.ignoreConfiguredEndpointUrls"};

    @AfterEach
    void clear() {
        for (String p : PROPERTIES) {
            System.clearProperty(p);
        }
    }

    private static RemoteSettings settings(Optional<URI> endpoint) {
        return new RemoteSettings("s3", Optional.empty(), Optional.of("b"), "eu-west-1", endpoint,
                ArtifactLayout.withPrefix("artifacts"), Optional.empty(), Optional.empty(), false,
                RemoteSettings.DEFAULT_TIMEOUT, Optional.of(new S3Credentials("AKIDX", "s", Optional.empty(), "test")),
                Map.of());
    }

    private static String requests(RemoteSettings settings) {
        return new AwsS3StoreProvider().describe(settings).get("requests");
    }

    @Test
    void nothingSetLetsKacheRead() {
        assertEquals(Optional.empty(), SdkOnlyRouting.reason(settings(Optional.empty())));
        assertTrue(requests(settings(Optional.empty())).startsWith("GET and HEAD signed and sent by kache"));
    }

    @Test
    void aProxyTheSdkWouldUseKeepsEveryRequestOnIt() {
        System.setProperty("http.proxyHost", "10.4.5.6");
        System.setProperty("http.proxyPort", "3129");
        RemoteSettings onEndpoint = settings(Optional.of(URI.create("http://127.0.0.1:9000")));
        assertEquals(Optional.of("a proxy from HTTP_PROXY or http.proxyHost"), SdkOnlyRouting.reason(onEndpoint));
        assertEquals("all through the AWS SDK for Java v2 (a proxy from HTTP_PROXY or http.proxyHost is set)",
                requests(onEndpoint));
    }

    @Test
    void anEndpointFipsOrDualStackFromTheEnvironmentCountsOnlyWithoutKachesEndpoint() {
        for (String[] setting : new String[][] {{"aws.endpointUrl", "http://127.0.0.1:4566"},
            {"aws.endpointUrlS3", "http://127.0.0.1:4566"}, {"aws.useFipsEndpoint", "true"},
            {"aws.useDualstackEndpoint", "true"}}) {
            System.setProperty(setting[0], setting[1]);
            assertTrue(SdkOnlyRouting.reason(settings(Optional.empty())).isPresent(), setting[0]);
            assertEquals(Optional.empty(), SdkOnlyRouting.reason(settings(Optional.of(URI.create("http://h:1")))),
                    setting[0] + " beside kache's own endpoint");
            clear();
        }
        System.setProperty("aws.endpointUrl", "http://127.0.0.1:4566");
        System.setProperty("aws.ignoreConfiguredEndpointUrls", "true");
        assertEquals(Optional.empty(), SdkOnlyRouting.reason(settings(Optional.empty())));
    }
}
