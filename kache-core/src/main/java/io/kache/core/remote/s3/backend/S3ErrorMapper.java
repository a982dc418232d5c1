package io.kache.core.remote.s3.backend;

import io.kache.api.EntryRejectedException;
import io.kache.api.StoreAccessDeniedException;
import io.kache.api.StoreException;
import io.kache.api.StoreMisconfiguredException;
import io.kache.api.StoreUnavailableException;
import java.util.Optional;
import java.util.Set;

/**
 * Turns S3 failures into kache's typed store errors with the message a user can act on. Each
 * backend keeps only the adapter that reads status, code and request id out of its client's
 * exceptions. Messages name the bucket, the operation and the endpoint, never a credential.
 */
public final class S3ErrorMapper {

    /** Operations that write: a 403 on them usually means read-only credentials. */
    private static final Set<String> WRITES = Set.of("PutObject", "DeleteObject", "CreateMultipartUpload", "UploadPart",
            "CompleteMultipartUpload");

    /**
     * Operations that create a key: their 404 means a missing bucket (or an endpoint that is no S3
     * server). A PutObject's may come without a code: the JDK's URL connection drops the body of
     * an answer to {@code Expect: 100-continue}, which the AWS SDK asks for past 1 MiB.
     */
    private static final Set<String> CREATES = Set.of("PutObject", "CreateMultipartUpload");

    private final String bucket;
    private final String prefix;
    private final String endpoint;

    /**
     * @param endpoint how the endpoint is named in messages, e.g. {@code http://127.0.0.1:9000}
     */
    public S3ErrorMapper(String bucket, String prefix, String endpoint) {
        this.bucket = bucket;
        this.prefix = prefix;
        this.endpoint = endpoint;
    }

    /**
     * An error answer of the server.
     *
     * @param operation the S3 API name, e.g. {@code GetObject}
     * @param objectName the key or prefix concerned, for the message
     */
    public StoreException response(S3ErrorResponse r, String operation, String objectName, Throwable cause) {
        String detail = r.detail();
        if (r.code().equals("NoSuchBucket") || r.status() == 404 && r.code().isEmpty() && CREATES.contains(operation)) {
            return new StoreMisconfiguredException("bucket '" + bucket + "' does not exist at " + endpoint
                    + detail + "; kache never creates buckets: create it or fix [cache.remote] bucket", cause);
        }
        if (r.status() == 401 || r.status() == 403) {
            return new StoreAccessDeniedException("s3://" + bucket + "/" + objectName, operation,
                    hint(r.code(), operation) + detail, cause);
        }
        if (r.status() == 301 || r.code().equals("PermanentRedirect")
                || r.code().equals("AuthorizationHeaderMalformed")) {
            return new StoreMisconfiguredException(operation + " on bucket '" + bucket + "' was refused" + detail
                    + ": the bucket is in another region than the configured one, set [cache.remote] region", cause);
        }
        if (r.isRetryable()) {
            return new StoreUnavailableException(what(operation, objectName) + " failed at " + endpoint + detail,
                    cause);
        }
        Optional<String> entryAlone = S3EntryRejections.reason(r);
        if (entryAlone.isPresent()) {
            return new EntryRejectedException(what(operation, objectName) + " was rejected by " + endpoint + detail
                    + ": " + entryAlone.get() + "; the entry stays in the local store, other entries are not concerned",
                    cause);
        }
        return new StoreMisconfiguredException(what(operation, objectName) + " was rejected by " + endpoint + detail,
                cause);
    }

    /** Reading the local artifact failed during an upload: not the network's fault. */
    public StoreException sourceFailed(String operation, String objectName, Throwable cause) {
        return new StoreUnavailableException(what(operation, objectName)
                + " failed: reading the artifact to upload failed", cause);
    }

    /** No answer at all: refused connection, timeout, DNS. */
    public StoreException unreachable(String operation, String objectName, Throwable cause) {
        return new StoreUnavailableException(what(operation, objectName) + " failed: cannot reach " + endpoint
                + " (" + howUnreachable(cause) + ")", cause);
    }

    /** What kept the request from an answer, in words: the user reads this, not a Java class name. */
    static String howUnreachable(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                return "connection refused";
            }
            if (t instanceof java.net.UnknownHostException) {
                return "unknown host";
            }
            if (t instanceof java.net.SocketTimeoutException) {
                return "timed out";
            }
            if (t instanceof javax.net.ssl.SSLException) {
                return "TLS failed";
            }
        }
        return "no connection";
    }

    /** A 5xx or 429 the client reported without an S3 error body. */
    public StoreException serverFailed(String operation, String objectName, int status, Throwable cause) {
        return new StoreUnavailableException(what(operation, objectName) + " failed at " + endpoint
                + " (HTTP " + status + ")", cause);
    }

    /** The client refused to sign or build the request: a setting it cannot use. */
    public StoreException unsendable(String operation, String objectName, Throwable cause) {
        return new StoreMisconfiguredException(what(operation, objectName) + " cannot be signed or sent: "
                + cause.getClass().getSimpleName(), cause);
    }

    /** The body of a found object broke off while the reader consumed it. */
    public StoreException readFailed(String objectName, Exception cause) {
        return new StoreUnavailableException("reading s3://" + bucket + "/" + objectName + " failed: "
                + cause.getMessage(), cause);
    }

    /** A write to a remote configured read-only, refused before any request. */
    public StoreAccessDeniedException readOnlyRefusal() {
        return new StoreAccessDeniedException(location(), "PutObject",
                "this remote is configured read-only (remote_readonly)", null);
    }

    /** {@code s3://bucket/prefix}. */
    public String location() {
        return "s3://" + bucket + "/" + prefix;
    }

    private String what(String operation, String objectName) {
        return operation + " of s3://" + bucket + "/" + objectName;
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
}
