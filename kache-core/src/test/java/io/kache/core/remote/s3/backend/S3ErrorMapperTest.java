package io.kache.core.remote.s3.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.EntryRejectedException;
import io.kache.api.StoreAccessDeniedException;
import io.kache.api.StoreException;
import io.kache.api.StoreMisconfiguredException;
import io.kache.api.StoreUnavailableException;
import java.io.IOException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The message and type each S3 answer becomes, as both backends reported them. */
class S3ErrorMapperTest {

    private static final String ENDPOINT = "http://127.0.0.1:9000";
    private final S3ErrorMapper mapper = new S3ErrorMapper("cache", "artifacts", ENDPOINT);
    private final Exception cause = new IOException("client failure");

    private StoreException answer(int status, String code, String operation) {
        S3ErrorResponse response = new S3ErrorResponse(status, code, "REQ1");
        return mapper.response(response, operation, "artifacts/serde/k.tar.zst", cause);
    }

    @Test
    void noSuchBucketNamesTheBucketAndSaysKacheNeverCreatesOne() {
        StoreException e = answer(404, "NoSuchBucket", "GetObject");
        assertInstanceOf(StoreMisconfiguredException.class, e);
        assertEquals("bucket 'cache' does not exist at " + ENDPOINT + " (HTTP 404 NoSuchBucket, request id REQ1)"
                + "; kache never creates buckets: create it or fix [cache.remote] bucket", e.getMessage());
        assertSame(cause, e.getCause());
    }

    @ParameterizedTest
    @CsvSource({"PutObject", "CreateMultipartUpload"})
    void aCodelessNotFoundOnACreateIsTheMissingBucket(String operation) {
        StoreException e = answer(404, "", operation);
        assertInstanceOf(StoreMisconfiguredException.class, e);
        assertTrue(e.getMessage().startsWith("bucket 'cache' does not exist at " + ENDPOINT + " (HTTP 404, request id"),
                e.getMessage());
    }

    @Test
    void aCodelessNotFoundOnAnotherWriteIsNotCalledAMissingBucket() {
        StoreException e = answer(404, "", "UploadPart");
        assertInstanceOf(StoreMisconfiguredException.class, e);
        assertTrue(e.getMessage().startsWith("UploadPart of s3://cache/"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
        "403, SignatureDoesNotMatch, GetObject, the secret key does not match the access key id",
        "403, InvalidAccessKeyId, GetObject, the access key id is unknown to this endpoint",
        "403, RequestTimeTooSkewed, PutObject, this machine's clock is too far off",
        "403, AccessDenied, PutObject, remote_readonly = true",
        "403, AccessDenied, CreateMultipartUpload, remote_readonly = true",
        "403, AccessDenied, UploadPart, remote_readonly = true",
        "403, AccessDenied, CompleteMultipartUpload, remote_readonly = true",
        "403, AccessDenied, GetObject, the credentials lack s3:GetObject/s3:ListBucket",
        "401, '', HeadObject, the credentials lack s3:GetObject/s3:ListBucket",
    })
    void refusedCredentialsAreAccessDeniedWithAHint(int status, String code, String operation, String hint) {
        StoreAccessDeniedException e = assertInstanceOf(StoreAccessDeniedException.class,
                answer(status, code, operation));
        assertEquals(operation, e.operation());
        assertEquals("s3://cache/artifacts/serde/k.tar.zst", e.location());
        assertTrue(e.getMessage().contains(hint), e.getMessage());
        assertTrue(e.getMessage().endsWith("(HTTP " + status + (code.isEmpty() ? "" : " " + code)
                + ", request id REQ1))"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"301, ''", "400, PermanentRedirect", "400, AuthorizationHeaderMalformed"})
    void anotherRegionIsMisconfiguredNamingTheRegionSetting(int status, String code) {
        StoreException e = answer(status, code, "ListObjectsV2");
        assertInstanceOf(StoreMisconfiguredException.class, e);
        assertTrue(e.getMessage().startsWith("ListObjectsV2 on bucket 'cache' was refused (HTTP " + status),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("set [cache.remote] region"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"500, InternalError", "503, ''", "429, ''", "400, RequestTimeout", "503, SlowDown"})
    void serverTroubleIsUnavailable(int status, String code) {
        StoreException e = answer(status, code, "GetObject");
        assertInstanceOf(StoreUnavailableException.class, e);
        assertTrue(e.getMessage().startsWith("GetObject of s3://cache/artifacts/serde/k.tar.zst failed at " + ENDPOINT
                + " (HTTP " + status), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
        "413, '', PutObject, a proxy in front of it",
        "413, '', UploadPart, body-size limit",
        "413, EntityTooLarge, PutObject, client_max_body_size",
        "400, EntityTooLarge, PutObject, a proxy in front of it",
        "400, EntityTooSmall, CompleteMultipartUpload, smaller than the endpoint accepts",
        "400, InvalidDigest, PutObject, alters request bodies",
        "400, BadDigest, UploadPart, alters request bodies",
        "400, XAmzContentSHA256Mismatch, PutObject, checksum mode",
        "400, KeyTooLongError, PutObject, shorter [cache.remote] prefix",
        "400, InvalidObjectName, PutObject, does not accept its object name",
    })
    void anAnswerAboutOneObjectRejectsThatEntryNotTheRemote(int status, String code, String operation, String why) {
        StoreException e = answer(status, code, operation);
        assertInstanceOf(EntryRejectedException.class, e);
        assertFalse(e.isRetryable());
        assertSame(cause, e.getCause());
        assertTrue(e.getMessage().startsWith(operation + " of s3://cache/artifacts/serde/k.tar.zst was rejected by "
                + ENDPOINT + " (HTTP " + status + (code.isEmpty() ? "" : " " + code) + ", request id REQ1): "),
                e.getMessage());
        assertTrue(e.getMessage().contains(why), e.getMessage());
        assertTrue(e.getMessage().endsWith("the entry stays in the local store, other entries are not concerned"),
                e.getMessage());
    }

    @Test
    void anyOtherAnswerIsMisconfiguredNamingTheEndpoint() {
        StoreException e = answer(400, "InvalidArgument", "PutObject");
        assertInstanceOf(StoreMisconfiguredException.class, e);
        assertEquals("PutObject of s3://cache/artifacts/serde/k.tar.zst was rejected by " + ENDPOINT
                + " (HTTP 400 InvalidArgument, request id REQ1)", e.getMessage());
    }

    @Test
    void failuresWithoutAnAnswerSayWhatFailed() {
        assertEquals("PutObject of s3://cache/k failed: reading the artifact to upload failed",
                unavailable(mapper.sourceFailed("PutObject", "k", cause)).getMessage());
        assertEquals("GetObject of s3://cache/k failed: cannot reach " + ENDPOINT + " (connection refused)",
                unavailable(mapper.unreachable("GetObject", "k", new ConnectException("refused"))).getMessage());
        assertEquals("GetObject of s3://cache/k failed: cannot reach " + ENDPOINT + " (connection refused)",
                unavailable(mapper.unreachable("GetObject", "k", new RuntimeException("Unable to execute HTTP request",
                        new ConnectException("refused")))).getMessage(), "a client's wrapper is looked through");
        assertEquals("GetObject of s3://cache/k failed at " + ENDPOINT + " (HTTP 502)",
                unavailable(mapper.serverFailed("GetObject", "k", 502, cause)).getMessage());
        assertEquals("reading s3://cache/k failed: client failure",
                unavailable(mapper.readFailed("k", (IOException) cause)).getMessage());
        StoreException unsendable = mapper.unsendable("PutObject", "k", new IllegalArgumentException("bad"));
        assertInstanceOf(StoreMisconfiguredException.class, unsendable);
        assertEquals("PutObject of s3://cache/k cannot be signed or sent: IllegalArgumentException",
                unsendable.getMessage());
    }

    @Test
    void readOnlyRefusalNamesTheSettingAndTheRemote() {
        StoreAccessDeniedException e = mapper.readOnlyRefusal();
        assertEquals("s3://cache/artifacts", e.location());
        assertEquals("PutObject", e.operation());
        assertTrue(e.getMessage().contains("remote_readonly"), e.getMessage());
        assertNull(e.getCause());
    }

    private static StoreException unavailable(StoreException e) {
        return assertInstanceOf(StoreUnavailableException.class, e);
    }
}
