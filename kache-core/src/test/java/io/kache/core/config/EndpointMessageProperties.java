package io.kache.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever credential an endpoint carries, its message is the one any other would get: nothing of it shows. */
class EndpointMessageProperties {

    private static final ConfigOrigin ORIGIN = ConfigOrigin.env("KACHE_S3_ENDPOINT");

    @Property(tries = 500)
    void theMessageDoesNotDependOnTheUserInfo(@ForAll("userInfo") String userInfo, @ForAll("rest") String rest) {
        String message = messageFor("http://" + userInfo + "@" + rest);
        assertEquals(messageFor("http://x@" + rest), message);
        if (userInfo.length() >= 6) {
            assertFalse(message.contains(userInfo), message);
        }
    }

    @Property(tries = 300)
    void withoutASchemeNeither(@ForAll("userInfo") String userInfo, @ForAll("rest") String rest) {
        assertEquals(messageFor("x@" + rest), messageFor(userInfo.strip() + "@" + rest));
    }

    private static String messageFor(String endpoint) {
        return assertThrows(ConfigException.class,
                () -> ConfigValues.endpoint(ConfigKey.REMOTE_ENDPOINT, new RawValue(endpoint, ORIGIN))).getMessage();
    }

    @Provide
    Arbitrary<String> userInfo() {
        // Any character a pasted credential may hold, the URL's delimiters and '@' among them.
        return Arbitraries.strings().withChars("AKIDSECRETxyz0129:/?#[]@!$&'()*+,;=%- ._~é")
                .ofMinLength(1).ofMaxLength(40);
    }

    @Provide
    Arbitrary<String> rest() {
        return Arbitraries.of("127.0.0.1:9/", "s3.example.com", "h/path?q=1", "", "/", "host:notaport");
    }
}
