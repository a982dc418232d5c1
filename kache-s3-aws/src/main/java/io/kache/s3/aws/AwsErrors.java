package io.kache.s3.aws;

import io.kache.api.StoreException;
import io.kache.core.remote.s3.backend.S3ErrorMapper;
import io.kache.core.remote.s3.backend.S3ErrorResponse;
import io.kache.core.remote.s3.backend.UploadSlice;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Reads the AWS SDK's failures for {@link S3ErrorMapper}: an answer's status, error code and
 * request id, else whether the artifact or the network failed.
 */
final class AwsErrors {

    private final S3ErrorMapper mapper;

    AwsErrors(S3ErrorMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * @param operation the S3 API name, e.g. {@code GetObject}
     * @param objectName the key or prefix concerned, for the message
     */
    StoreException map(RuntimeException e, String operation, String objectName) {
        if (e instanceof AwsCredentialFailure credentials) {
            return credentials.toStoreException();
        }
        if (e instanceof AwsServiceException service) {
            return mapper.response(response(service), operation, objectName, e);
        }
        if (UploadSlice.failedReading(e)) {
            return mapper.sourceFailed(operation, objectName, e);
        }
        return mapper.unreachable(operation, objectName, e);
    }

    /** Whether the call failed only because the key does not exist. */
    static boolean isMissingKey(RuntimeException e) {
        return e instanceof NoSuchKeyException || e instanceof S3Exception s3e && response(s3e).isMissingKey();
    }

    private static S3ErrorResponse response(AwsServiceException e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        return new S3ErrorResponse(e.statusCode(), code, e.requestId());
    }
}
