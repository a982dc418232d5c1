package io.kache.core.remote.s3.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactLayout;
import io.kache.api.ArtifactStore;
import io.kache.api.RemoteSettings;
import io.kache.api.S3Credentials;
import io.kache.api.StoreMisconfiguredException;
import io.kache.api.S3CredentialSource;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The identity and description every S3 provider shares, and the endpoint check. */
class AbstractS3StoreProviderTest {

    private static final class TestProvider extends AbstractS3StoreProvider {
        TestProvider() {
            super("s3-test", 7, "Test client");
        }

        @Override
        public ArtifactStore open(RemoteSettings settings) {
            throw new UnsupportedOperationException("not opened in this test");
        }

        @Override
        protected String endpointName(RemoteSettings settings) {
            return settings.endpoint().map(Object::toString).orElse("the default endpoint");
        }
    }

    private static RemoteSettings settings(Optional<S3Credentials> credentials, Optional<String> profile) {
        return new RemoteSettings("s3", Optional.empty(), Optional.of("cache"), "eu-west-1",
                Optional.of(URI.create("https://s3.example.test")), ArtifactLayout.withPrefix("ci"), profile,
                Optional.empty(), true, Duration.ofMillis(2500), credentials, Map.of());
    }

    @Test
    void identityIsTypeS3WithTheGivenIdAndPriority() {
        TestProvider provider = new TestProvider();
        assertEquals("s3-test", provider.id());
        assertEquals("s3", provider.type());
        assertEquals(7, provider.priority());
    }

    @Test
    void describeListsEverySettingInOrderAndNamesTheAccessKeyButNoSecret() {
        S3Credentials keys = new S3Credentials("AKIDSHOWN", "secret-never-shown", Optional.of("token-never-shown"),
                "env KACHE_S3_ACCESS_KEY/KACHE_S3_SECRET_KEY");
        Map<String, String> d = new TestProvider().describe(settings(Optional.of(keys), Optional.of("ci")));
        List<Map.Entry<String, String>> expected = List.of(
                Map.entry("client", "s3-test (Test client)"),
                Map.entry("endpoint", "https://s3.example.test"),
                Map.entry("bucket", "cache"),
                Map.entry("region", "eu-west-1"),
                Map.entry("prefix", "ci"),
                Map.entry("addressing", "path-style"),
                Map.entry("requests", "all through the Test client"),
                Map.entry("credentials", "env KACHE_S3_ACCESS_KEY/KACHE_S3_SECRET_KEY (access key ****HOWN)"),
                Map.entry("profile", "ci"),
                Map.entry("read_only", "true"),
                Map.entry("timeout", "2500 ms"));
        assertEquals(expected, List.copyOf(d.entrySet()), "every setting, in this order");
        assertFalse(d.toString().contains("never-shown"), d.toString());
    }

    @Test
    void withoutKeysTheInstanceRoleIsNamedAndNoProfileIsListed() {
        Map<String, String> d = new TestProvider().describe(settings(Optional.empty(), Optional.empty()));
        assertEquals(S3CredentialSource.containerOrInstance().summary(), d.get("credentials"));
        assertFalse(d.containsKey("profile"));
    }

    @Test
    void anEndpointNeedsHttpOrHttpsAndAHost() throws StoreMisconfiguredException {
        URI good = URI.create("http://127.0.0.1:9000");
        assertEquals(good, S3Endpoint.validated(good));
        for (String bad : List.of("ftp://host", "localhost:9000", "https:///path", "s3.amazonaws.com")) {
            StoreMisconfiguredException e = assertThrows(StoreMisconfiguredException.class,
                    () -> S3Endpoint.validated(URI.create(bad)), bad);
            assertEquals("endpoint '" + bad + "' must be http://host[:port] or https://host[:port]", e.getMessage());
        }
    }

    /** Settings built in code, not read from the config (which refuses these already), are checked too. */
    @Test
    void anEndpointWithUserInfoIsRefusedAndNeverShown() {
        for (String bad : List.of("http://AKIDURL:SECRETURL@127.0.0.1:9000", "http://AKIDURL@127.0.0.1:9000/",
                "http://AKIDURL:SECRETURL@/")) {
            StoreMisconfiguredException e = assertThrows(StoreMisconfiguredException.class,
                    () -> S3Endpoint.validated(URI.create(bad)), bad);
            assertFalse(e.getMessage().contains("AKIDURL") || e.getMessage().contains("SECRETURL"), e.getMessage());
            assertTrue(e.getMessage().startsWith("endpoint 'http://****@"), e.getMessage());
        }
        assertEquals("http://****@127.0.0.1:9000", S3Endpoint.shown(URI.create("http://AKIDURL:SECRETURL@127.0.0.1:9000")));
    }

    @Test
    void anStsEndpointWithUserInfoIsRefusedAndNeverShown() throws StoreMisconfiguredException {
        S3CredentialSource withUserInfo = new S3CredentialSource(S3CredentialSource.Kind.WEB_IDENTITY, "env", Optional.empty(),
                Map.of(S3CredentialSource.STS_ENDPOINT, "http://AKIDURL:SECRET URL@sts.example.test"));
        StoreMisconfiguredException e = assertThrows(StoreMisconfiguredException.class,
                () -> S3Endpoint.sts(withUserInfo));
        assertFalse(e.getMessage().contains("AKIDURL") || e.getMessage().contains("SECRET URL"), e.getMessage());
        assertTrue(e.getMessage().startsWith("the STS endpoint 'http://****@sts.example.test' (AWS_ENDPOINT_URL_STS"),
                e.getMessage());
        S3CredentialSource plain = new S3CredentialSource(S3CredentialSource.Kind.WEB_IDENTITY, "env", Optional.empty(),
                Map.of(S3CredentialSource.STS_ENDPOINT, "http://sts.example.test"));
        assertEquals(Optional.of("http://sts.example.test"), S3Endpoint.sts(plain));
        assertEquals(Optional.empty(), S3Endpoint.sts(S3CredentialSource.containerOrInstance()));
    }
}
