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
 * error code and request id, a bare server failure, a request that could not be signed, else
 * whether the artifact or the network failed.
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
            return s.statusCode() >= 500 || s.statusCode() == 429;
        }
        return !(e instanceof GeneralSecurityException) && !(e instanceof IllegalArgumentException);
    }

    /** Whether the call failed only because the key does not exist. */
    static boolean isMissingKey(Exception e) {
        return e instanceof ErrorResponseException r && response(r).isMissingKey();
    }

    StoreException map(Exception e, String operation, String objectName) {
        if (e instanceof ErrorResponseException r) {
            return mapper.response(response(r), operation, objectName, e);
        }
        if (UploadSlice.failedReading(e) || e instanceof InsufficientDataException) {
            return mapper.sourceFailed(operation, objectName, e);
        }
        if (e instanceof ServerException s) {
            return mapper.serverFailed(operation, objectName, s.statusCode(), e);
        }
        if (e instanceof GeneralSecurityException || e instanceof IllegalArgumentException) {
            return mapper.unsendable(operation, objectName, e);
        }
        return mapper.unreachable(operation, objectName, e);
    }

    private static S3ErrorResponse response(ErrorResponseException e) {
        return new S3ErrorResponse(e.response().code(), e.errorResponse().code(), e.errorResponse().requestId());
    }
}
