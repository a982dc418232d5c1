package io.kache.core.remote.s3.backend;

/**
 * An S3 error answer as every client library reports it: the HTTP status, the S3 error code
 * ({@code NoSuchBucket}, {@code SlowDown}, …) and the request id. Backends classify failures by
 * these, never by message text.
 *
 * @param status the HTTP status
 * @param code the S3 error code; {@code ""} when the answer had no body (HEAD) or no code
 * @param requestId the server's request id, or {@code null}
 */
public record S3ErrorResponse(int status, String code, String requestId) {

    public S3ErrorResponse {
        code = code == null ? "" : code;
    }

    /**
     * A 404 that is not {@code NoSuchBucket}. HEAD answers carry no error body, so a HEAD on a
     * missing bucket also reads as a missing key; the next GET, PUT or LIST names the bucket.
     */
    public boolean isMissingKey() {
        return status == 404 && !code.equals("NoSuchBucket");
    }

    /** Whether trying again may help: throttling or a server-side failure, never another 4xx. */
    public boolean isRetryable() {
        return status >= 500 || status == 429 || code.equals("SlowDown") || code.equals("RequestTimeout");
    }

    /** {@code " (HTTP 403 AccessDenied, request id X)"}, to end a message with. */
    String detail() {
        return " (HTTP " + status + (code.isEmpty() ? "" : " " + code)
                + (requestId == null ? "" : ", request id " + requestId) + ")";
    }
}
