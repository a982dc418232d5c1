package io.kache.s3.minio;

import io.kache.api.StoreAccessDeniedException;
import io.kache.api.StoreException;
import io.kache.api.StoreMisconfiguredException;
import io.kache.api.StoreUnavailableException;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.InsufficientDataException;
import io.minio.errors.ServerException;
import java.security.GeneralSecurityException;
import java.util.Set;

/**
 * The one place that turns MinIO client failures into kache's typed store errors, by HTTP status
 * and S3 error code, never by message text. Messages name the bucket, the operation and the
 * endpoint, never a credential.
 */
final class MinioErrors {

    private static final Set<String> WRITES = Set.of("PutObject");

    private final String bucket;
    private final String prefix;
    private final String endpoint;

    MinioErrors(String bucket, String prefix, String endpoint) {
        this.bucket = bucket;
        this.prefix = prefix;
        this.endpoint = endpoint;
    }

    /** Whether trying again may help: throttling, 5xx, a dropped connection; never a 4xx answer. */
    static boolean isRetryable(Exception e) {
        if (SourceStream.failedReading(e) || e instanceof InsufficientDataException) {
            return false;
        }
        if (e instanceof ErrorResponseException r) {
            int status = r.response().code();
            String code = r.errorResponse().code();
            return status >= 500 || status == 429 || "SlowDown".equals(code) || "RequestTimeout".equals(code);
        }
        if (e instanceof ServerException s) {
            return s.statusCode() >= 500 || s.statusCode() == 429;
        }
        return !(e instanceof GeneralSecurityException) && !(e instanceof IllegalArgumentException);
    }

    StoreException map(Exception e, String operation, String objectName) {
        String what = operation + " of s3://" + bucket + "/" + objectName;
        if (e instanceof ErrorResponseException r) {
            return mapResponse(r, operation, objectName);
        }
        if (SourceStream.failedReading(e) || e instanceof InsufficientDataException) {
            return new StoreUnavailableException(what + " failed: reading the artifact to upload failed", e);
        }
        if (e instanceof ServerException s) {
            return new StoreUnavailableException(what + " failed at " + endpoint + " (HTTP " + s.statusCode() + ")", e);
        }
        if (e instanceof GeneralSecurityException || e instanceof IllegalArgumentException) {
            return new StoreMisconfiguredException(what + " cannot be signed or sent: " + e.getClass().getSimpleName(), e);
        }
        return new StoreUnavailableException(what + " failed: cannot reach " + endpoint
                + " (" + e.getClass().getSimpleName() + ")", e);
    }

    private StoreException mapResponse(ErrorResponseException e, String operation, String objectName) {
        int status = e.response().code();
        String code = e.errorResponse().code() == null ? "" : e.errorResponse().code();
        String requestId = e.errorResponse().requestId();
        String detail = " (HTTP " + status + (code.isEmpty() ? "" : " " + code)
                + (requestId == null ? "" : ", request id " + requestId) + ")";
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
        if (isRetryable(e)) {
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
