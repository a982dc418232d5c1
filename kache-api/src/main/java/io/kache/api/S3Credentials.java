package io.kache.api;

import java.util.Objects;
import java.util.Optional;

/**
 * An access key pair resolved by kache's credential chain, with where it came from.
 * {@link #toString()} never shows the secret or the session token.
 *
 * @param accessKeyId the public half, safe to log
 * @param secretAccessKey the secret half, never logged
 * @param sessionToken a session token for temporary credentials, if any
 * @param source where the pair was found, e.g. {@code env KACHE_S3_ACCESS_KEY/KACHE_S3_SECRET_KEY}
 */
public record S3Credentials(String accessKeyId, String secretAccessKey, Optional<String> sessionToken, String source) {

    public S3Credentials {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        Objects.requireNonNull(sessionToken, "sessionToken");
        Objects.requireNonNull(source, "source");
    }

    // By hand: see RemoteSettings, which holds these.
    @Override
    public boolean equals(Object o) {
        return o instanceof S3Credentials c && accessKeyId.equals(c.accessKeyId)
                && secretAccessKey.equals(c.secretAccessKey) && sessionToken.equals(c.sessionToken)
                && source.equals(c.source);
    }

    @Override
    public int hashCode() {
        return Objects.hash(accessKeyId, secretAccessKey, sessionToken, source);
    }

    @Override
    public String toString() {
        return "S3Credentials[accessKeyId=" + accessKeyId + ", secretAccessKey=****"
                + (sessionToken.isPresent() ? ", sessionToken=****" : "") + ", source=" + source + "]";
    }
}
