package io.kache.core.remote.s3.backend;

import io.kache.api.S3CredentialSource;
import io.kache.api.StoreMisconfiguredException;
import io.kache.core.config.UrlUserInfo;
import java.net.URI;
import java.util.Optional;

/**
 * The endpoint settings every S3 client accepts: {@code http} or {@code https} and a host, and no
 * user info. A URL's user info is a credential: kache never sends one that way, and never shows
 * one ({@link UrlUserInfo}).
 */
public final class S3Endpoint {

    private S3Endpoint() {
    }

    /**
     * {@code endpoint} itself if a client can use it.
     *
     * @throws StoreMisconfiguredException naming the endpoint, its user info masked, and the accepted form
     */
    public static URI validated(URI endpoint) throws StoreMisconfiguredException {
        String scheme = endpoint.getScheme();
        if (UrlUserInfo.mayCarry(endpoint.toString()) || scheme == null
                || !(scheme.equals("http") || scheme.equals("https")) || endpoint.getHost() == null) {
            throw new StoreMisconfiguredException("endpoint '" + shown(endpoint)
                    + "' must be http://host[:port] or https://host[:port]");
        }
        return endpoint;
    }

    /** {@code endpoint} as messages and descriptions show it: whatever may be user info masked. */
    public static String shown(URI endpoint) {
        return UrlUserInfo.masked(endpoint.toString());
    }

    /**
     * The STS endpoint the call's environment names for {@code source} ({@code
     * AWS_ENDPOINT_URL_STS}, else {@code AWS_ENDPOINT_URL}), where a client asks for web identity
     * credentials; empty for AWS's own.
     *
     * @throws StoreMisconfiguredException if it may carry user info, shown masked
     */
    public static Optional<String> sts(S3CredentialSource source) throws StoreMisconfiguredException {
        Optional<String> endpoint = source.parameter(S3CredentialSource.STS_ENDPOINT);
        if (endpoint.isPresent() && UrlUserInfo.mayCarry(endpoint.get())) {
            throw new StoreMisconfiguredException("the STS endpoint '" + UrlUserInfo.masked(endpoint.get())
                    + "' (AWS_ENDPOINT_URL_STS or AWS_ENDPOINT_URL) has user info (an '@'), which kache never sends;"
                    + " allowed: http://host[:port] or https://host[:port]");
        }
        return endpoint;
    }
}
