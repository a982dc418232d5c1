package io.kache.s3.aws;

import io.kache.api.StoreAccessDeniedException;
import io.kache.api.StoreException;
import io.kache.api.StoreMisconfiguredException;
import io.kache.api.StoreUnavailableException;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * The one place that turns AWS SDK failures into kache's typed store errors, by HTTP status and
 * S3 error code, never by message text. Messages name the bucket, the operation and the endpoint,
 * never a credential.
 */
final class AwsErrors {

    /** Operations that write: a 403 on them usually means read-only credentials. */
    private static final Set<String> WRITES = Set.of("PutObject", "CreateMultipartUpload", "UploadPart",
            "CompleteMultipartUpload", "DeleteObject");

    private final String bucket;
    private final String prefix;
    private final String endpoint;

    AwsErrors(String bucket, String prefix, String endpoint) {
        this.bucket = bucket;
        this.prefix = prefix;
        this.endpoint = endpoint;
    }

    /**
     * @param operation the S3 API name, e.g. {@code GetObject}
     * @param objectName the key or prefix concerned, for the message
     */
    StoreException map(RuntimeException e, String operation, String objectName) {
        if (e instanceof AwsServiceException service) {
            return mapService(service, operation, objectName);
        }
        if (SourceSlice.failedReading(e)) {
            return new StoreUnavailableException(operation + " of s3://" + bucket + "/" + objectName
                    + " failed: reading the artifact to upload failed", e);
        }
        return new StoreUnavailableException(operation + " of s3://" + bucket + "/" + objectName
                + " failed: cannot reach " + endpoint + " (" + e.getClass().getSimpleName() + ")", e);
    }

    private StoreException mapService(AwsServiceException e, String operation, String objectName) {
        int status = e.statusCode();
        String code = e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null
                ? "" : e.awsErrorDetails().errorCode();
        String detail = " (HTTP " + status + (code.isEmpty() ? "" : " " + code)
                + (e.requestId() == null ? "" : ", request id " + e.requestId()) + ")";
        if (code.equals("NoSuchBucket")) {
            return new StoreMisconfiguredException("bucket '" + bucket + "' does not exist at " + endpoint
                    + detail + "; kache never creates buckets: create it or fix [cache.remote] bucket", e);
        }
        if (status == 401 || status == 403) {
            return new StoreAccessDeniedException("s3://" + bucket + "/" + objectName, operation,
                    hint(code, operation) + detail, e);
        }
        if (status == 301 || code.equals("PermanentRedirect") || code.equals("AuthorizationHeaderMalformed")) {
            return new StoreMisconfiguredException(operation + " on bucket '" + bucket + "' was refused" + detail
                    + ": the bucket is in another region than the configured one, set [cache.remote] region", e);
        }
        if (status >= 500 || status == 429 || code.equals("SlowDown") || code.equals("RequestTimeout")) {
            return new StoreUnavailableException(operation + " of s3://" + bucket + "/" + objectName
                    + " failed at " + endpoint + detail, e);
        }
        return new StoreMisconfiguredException(operation + " of s3://" + bucket + "/" + objectName
                + " was rejected by " + endpoint + detail, e);
    }

    private static String hint(String code, String operation) {
        if (code.equals("SignatureDoesNotMatch")) {
            return "the secret key does not match the access key id";
        }
        if (code.equals("InvalidAccessKeyId")) {
            return "the access key id is unknown to this endpoint";
        }
        if (code.equals("RequestTimeTooSkewed")) {
            return "this machine's clock is too far off";
        }
        if (WRITES.contains(operation)) {
            return "credentials that may only read need remote_readonly = true (or KACHE_REMOTE_READONLY=1)";
        }
        return "the credentials lack s3:GetObject/s3:ListBucket on this bucket";
    }

    String location() {
        return "s3://" + bucket + "/" + prefix;
    }
}
