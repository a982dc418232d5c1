package io.kache.core.remote.s3.backend;

import java.util.Map;
import java.util.Optional;

/**
 * The S3 answers that refuse one object rather than the remote's configuration, each with what a
 * user can do about it. A bare {@code 413} counts: a proxy's body-size limit answers so, without
 * an S3 error body.
 */
final class S3EntryRejections {

    private static final String TOO_LARGE = "the entry is larger than the endpoint, or a proxy in front of it,"
            + " accepts in one request: raise the proxy's body-size limit (nginx's client_max_body_size, for one)";

    private static final String ALTERED = "its body did not arrive as it was sent (checksum mismatch):"
            + " something between kache and the endpoint alters request bodies";

    private static final Map<String, String> BY_CODE = Map.of(
            "EntityTooLarge", TOO_LARGE,
            "EntityTooSmall", "a part of its multipart upload is smaller than the endpoint accepts",
            "InvalidDigest", ALTERED,
            "BadDigest", ALTERED,
            // Some S3-compatible servers answer so to every checksum-trailer upload: the message says
            // so, and the uploader's two-rejections-in-a-row rule still stops on it.
            "XAmzContentSHA256Mismatch", ALTERED + "; if every upload fails so, the endpoint does not accept the"
                    + " client's checksum mode",
            "KeyTooLongError", "its object name is longer than the endpoint accepts: a shorter [cache.remote] prefix"
                    + " leaves more room",
            "InvalidObjectName", "the endpoint does not accept its object name");

    private S3EntryRejections() {
    }

    /** Why {@code r} refuses this one object, or empty when it is not about one object. */
    static Optional<String> reason(S3ErrorResponse r) {
        if (r.status() == 413) {
            return Optional.of(TOO_LARGE);
        }
        return Optional.ofNullable(BY_CODE.get(r.code()));
    }
}
