package io.kache.s3.minio;

import io.kache.api.StoreException;
import io.kache.core.remote.s3.backend.S3ErrorMapper;
import io.kache.core.remote.s3.backend.S3ErrorResponse;
import io.kache.core.remote.s3.backend.UploadSlice;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.InsufficientDataException;
import io.minio.errors.ServerException;
import java.security.GeneralSecurityException;

/**
 * Reads the MinIO client's failures for {@link S3ErrorMapper} and for retries: an answer's status,
 * error code and request id, an answer without an S3 error body ({@link BareErrorAnswers}), a
 * request that could not be signed, else whether the artifact or the network failed.
 */
final class MinioErrors {

    private final S3ErrorMapper mapper;

    MinioErrors(S3ErrorMapper mapper) {
        this.mapper = mapper;
    }

    /** Whether trying again may help: throttling, 5xx, a dropped connection; never a 4xx answer. */
    static boolean isRetryable(Exception e) {
        if (UploadSlice.failedReading(e) || e instanceof InsufficientDataException) {
            return false;
        }
        if (e instanceof ErrorResponseException r) {
            return response(r).isRetryable();
        }
        if (e instanceof ServerException s) {
            return bare(s.statusCode()).isRetryable();
        }
        if (e instanceof BareErrorAnswers.BareErrorAnswer b) {
            return bare(b.status()).isRetryable();
        }
        return !(e instanceof GeneralSecurityException) && !(e instanceof IllegalArgumentException);
    }

    /** Whether the call failed only because the key does not exist. */
    static boolean isMissingKey(Exception e) {
        return e instanceof ErrorResponseException r && response(r).isMissingKey()
                || e instanceof BareErrorAnswers.BareErrorAnswer b && bare(b.status()).isMissingKey();
    }

    StoreException map(Exception e, String operation, String objectName) {
        if (e instanceof ErrorResponseException r) {
            return mapper.response(response(r), operation, objectName, e);
        }
        if (UploadSlice.failedReading(e) || e instanceof InsufficientDataException) {
            return mapper.sourceFailed(operation, objectName, e);
        }
        if (e instanceof ServerException s) {
            return answer(s.statusCode(), operation, objectName, e);
        }
        if (e instanceof BareErrorAnswers.BareErrorAnswer b) {
            return answer(b.status(), operation, objectName, e);
        }
        if (e instanceof GeneralSecurityException || e instanceof IllegalArgumentException) {
            return mapper.unsendable(operation, objectName, e);
        }
        return mapper.unreachable(operation, objectName, e);
    }

    /**
     * An answer without an S3 error code: a 5xx or 429 is the server's failure, any other status
     * is classified as an answer (a proxy's 413 rejects one entry, a 400 the request).
     */
    private StoreException answer(int status, String operation, String objectName, Exception e) {
        if (bare(status).isRetryable()) {
            return mapper.serverFailed(operation, objectName, status, e);
        }
        return mapper.response(bare(status), operation, objectName, e);
    }

    private static S3ErrorResponse bare(int status) {
        return new S3ErrorResponse(status, "", null);
    }

    private static S3ErrorResponse response(ErrorResponseException e) {
        return new S3ErrorResponse(e.response().code(), e.errorResponse().code(), e.errorResponse().requestId());
    }
}
