package io.kache.core.remote.s3.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.StoreAccessDeniedException;
import io.kache.api.StoreException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Invariants of the classification, for any status and code a server may send. */
class S3ErrorClassificationProperties {

    private final S3ErrorMapper mapper = new S3ErrorMapper("cache", "artifacts", "http://127.0.0.1:9000");

    @Provide
    Arbitrary<String> codes() {
        return Arbitraries.oneOf(
                Arbitraries.of("", "NoSuchBucket", "NoSuchKey", "AccessDenied", "SignatureDoesNotMatch", "SlowDown",
                        "RequestTimeout", "PermanentRedirect", "AuthorizationHeaderMalformed", "InternalError"),
                Arbitraries.strings().alpha().ofMaxLength(20));
    }

    @Property(tries = 500)
    void onlyWhatTheServerCallsTransientIsRetryable(@ForAll @IntRange(min = 300, max = 599) int status,
            @ForAll("codes") String code) {
        S3ErrorResponse response = new S3ErrorResponse(status, code, null);
        StoreException e = mapper.response(response, "GetObject", "artifacts/serde/k.tar.zst", null);
        if (e.isRetryable()) {
            assertTrue(response.isRetryable(), "retryable without a transient answer: " + e.getMessage());
        }
        assertTrue(e.getMessage().contains("'cache'") || e.getMessage().contains("s3://cache/"), e.getMessage());
        assertTrue(e.getMessage().contains("HTTP " + status), e.getMessage());
    }

    @Property(tries = 200)
    void refusedCredentialsAreNeverRetried(@ForAll("codes") String code, @ForAll boolean unauthorized) {
        S3ErrorResponse response = new S3ErrorResponse(unauthorized ? 401 : 403, code, "R");
        StoreException e = mapper.response(response, "PutObject", "k", null);
        if (!code.equals("NoSuchBucket")) {
            assertInstanceOf(StoreAccessDeniedException.class, e);
        }
        assertFalse(e.isRetryable());
    }

    @Property(tries = 200)
    void aMissingKeyIsAnyNotFoundButAMissingBucket(@ForAll @IntRange(min = 300, max = 599) int status,
            @ForAll("codes") String code) {
        assertEquals(status == 404 && !code.equals("NoSuchBucket"),
                new S3ErrorResponse(status, code, null).isMissingKey());
    }
}
