package io.kache.s3.minio;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.EntryRejectedException;
import io.kache.api.StoreMisconfiguredException;
import io.kache.api.StoreUnavailableException;
import io.kache.core.remote.s3.backend.S3ErrorMapper;
import org.junit.jupiter.api.Test;

/** Answers without an S3 error body, as {@link BareErrorAnswers} hands them over, keep their status. */
class MinioErrorsTest {

    private final MinioErrors errors = new MinioErrors(new S3ErrorMapper("cache", "artifacts",
            "http://127.0.0.1:9000"));

    @Test
    void aProxysBare413RejectsThatEntryAndIsNotRetried() {
        BareErrorAnswers.BareErrorAnswer tooLarge = new BareErrorAnswers.BareErrorAnswer(413);
        assertFalse(MinioErrors.isRetryable(tooLarge));
        EntryRejectedException e = assertInstanceOf(EntryRejectedException.class,
                errors.map(tooLarge, "PutObject", "artifacts/serde/k.tar.zst"));
        assertTrue(e.getMessage().contains("HTTP 413"), e.getMessage());
    }

    @Test
    void aBare5xxIsTheServersFailureAndRetried() {
        BareErrorAnswers.BareErrorAnswer badGateway = new BareErrorAnswers.BareErrorAnswer(502);
        assertTrue(MinioErrors.isRetryable(badGateway));
        assertInstanceOf(StoreUnavailableException.class, errors.map(badGateway, "GetObject", "k"));
    }

    @Test
    void aBare404IsAMissOnReadAndAMissingBucketOnWrite() {
        BareErrorAnswers.BareErrorAnswer notFound = new BareErrorAnswers.BareErrorAnswer(404);
        assertTrue(MinioErrors.isMissingKey(notFound));
        StoreMisconfiguredException e = assertInstanceOf(StoreMisconfiguredException.class,
                errors.map(notFound, "PutObject", "k"));
        assertTrue(e.getMessage().contains("bucket 'cache' does not exist"), e.getMessage());
    }
}
