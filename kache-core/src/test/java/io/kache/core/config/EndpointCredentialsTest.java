package io.kache.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An endpoint with credentials in it ({@code http://KEY:SECRET@host/}) is refused with a message
 * that names the key, where it was set and what is wrong, and shows neither part of the credential,
 * whether the value parses as a URL or not.
 */
class EndpointCredentialsTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "http://AKIDURL:SECRETURL@127.0.0.1:9/",
            "https://AKIDURL:SECRETURL@s3.example.com",
            "http://AKIDURL@127.0.0.1:9/",
            // Not URLs, or not the URL they seem: the '@' alone marks what may be a credential.
            "AKIDURL:SECRETURL@127.0.0.1:9",
            "http://AKIDURL:SECRET URL@127.0.0.1:9/",
            "http://AKIDURL:SECRET/URL@127.0.0.1:9/",
            "http://AKIDURL:SECRET?URL@127.0.0.1:9/",
            "http://AKIDURL:SECRET@URL@127.0.0.1:9/",
            "ftp://AKIDURL:SECRETURL@127.0.0.1:9/",
            "http://AKIDURL:SECRETURL@/"})
    void userInfoInTheEnvironmentIsNeverShown(String endpoint) {
        ConfigFixture fx = new ConfigFixture(tmp).env("KACHE_S3_BUCKET", "b").env("KACHE_S3_ENDPOINT", endpoint);
        ConfigException e = assertThrows(ConfigException.class, fx::load);
        assertNoCredential(e.getMessage());
        assertEquals("cache.remote.endpoint", e.key());
        assertTrue(e.getMessage().startsWith("environment variable KACHE_S3_ENDPOINT: cache.remote.endpoint: '"),
                e.getMessage());
        assertTrue(e.getMessage().contains("has user info"), e.getMessage());
        assertTrue(e.getMessage().contains("KACHE_S3_SECRET_KEY"), "names where credentials go: " + e.getMessage());
    }

    @Test
    void userInfoInTheFileIsNeverShownAndTheHostIs() {
        ConfigFixture fx = new ConfigFixture(tmp);
        Path file = fx.projectFile(fx.cwd, "[cache.remote]\nbucket = \"b\"\n"
                + "endpoint = \"http://AKIDURL:SECRETURL@127.0.0.1:9/\"\n");
        ConfigException e = assertThrows(ConfigException.class, fx::load);
        assertNoCredential(e.getMessage());
        assertEquals(file + ":3: cache.remote.endpoint: 'http://****@127.0.0.1:9/' has user info (an '@');"
                + " credentials go in KACHE_S3_ACCESS_KEY and KACHE_S3_SECRET_KEY; allowed: an http:// or https://"
                + " URL with a host, e.g. https://s3.example.com or http://127.0.0.1:9000", e.getMessage());
    }

    @Test
    void aUrlWithCredentialsSetOnAnotherKeyIsMaskedToo() throws Exception {
        ConfigFixture fx = new ConfigFixture(tmp).env("KACHE_S3_BUCKET", "http://AKIDURL:SECRETURL@bucket");
        ConfigException e = assertThrows(ConfigException.class, fx::load);
        assertNoCredential(e.getMessage());
        assertTrue(e.getMessage().startsWith("environment variable KACHE_S3_BUCKET: cache.remote.bucket:"
                + " 'http://****@bucket' is not valid"), e.getMessage());
    }

    @Test
    void anEndpointWithoutUserInfoIsStillShownAsItIs() {
        ConfigFixture fx = new ConfigFixture(tmp).env("KACHE_S3_BUCKET", "b").env("KACHE_S3_ENDPOINT", "ftp://h:21/");
        ConfigException e = assertThrows(ConfigException.class, fx::load);
        assertTrue(e.getMessage().contains("'ftp://h:21/' has scheme 'ftp'"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "http://127.0.0.1:9000/p?token=TOKENVALUE",
            "https://s3.example.com?X-Amz-Signature=TOKENVALUE",
            "http://127.0.0.1:9000/p#TOKENVALUE",
            // Would not parse as a URL: the query is refused before it can be shown as one that does not.
            "http://127.0.0.1:9000/p?token=TOKEN VALUE"})
    void anEndpointWithAQueryOrFragmentIsRefusedWithoutShowingIt(String endpoint) {
        ConfigFixture fx = new ConfigFixture(tmp).env("KACHE_S3_BUCKET", "b").env("KACHE_S3_ENDPOINT", endpoint);
        ConfigException e = assertThrows(ConfigException.class, fx::load);
        assertEquals("cache.remote.endpoint", e.key());
        assertFalse(e.getMessage().contains("TOKEN"), e.getMessage());
        String shown = endpoint.substring(0, endpoint.indexOf(endpoint.contains("?") ? '?' : '#'));
        assertTrue(e.getMessage().startsWith("environment variable KACHE_S3_ENDPOINT: cache.remote.endpoint: '"
                + shown + "' is followed by a "), e.getMessage());
        assertTrue(e.getMessage().contains(", not shown; an S3 endpoint has none; allowed: an http:// or https:// URL"),
                e.getMessage());
    }

    @Test
    void aQueryInTheFileIsRefusedNamingItsLine() {
        ConfigFixture fx = new ConfigFixture(tmp);
        Path file = fx.projectFile(fx.cwd, "[cache.remote]\nbucket = \"b\"\nendpoint = \"http://h:9000/?token=TOKENVALUE\"\n");
        ConfigException e = assertThrows(ConfigException.class, fx::load);
        assertEquals(file + ":3: cache.remote.endpoint: 'http://h:9000/' is followed by a query string ('?…'), not shown;"
                + " an S3 endpoint has none; allowed: an http:// or https:// URL with a host, e.g. https://s3.example.com"
                + " or http://127.0.0.1:9000", e.getMessage());
    }

    private static void assertNoCredential(String message) {
        assertFalse(message.contains("AKIDURL"), message);
        assertFalse(message.replace("KACHE_S3_SECRET_KEY", "").contains("SECRET"), message);
        assertFalse(message.contains("URL@"), message);
    }
}
