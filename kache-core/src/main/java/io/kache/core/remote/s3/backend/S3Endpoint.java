package io.kache.core.remote.s3.backend;

import io.kache.api.StoreMisconfiguredException;
import java.net.URI;

/** The endpoint setting every S3 client accepts: {@code http} or {@code https} and a host. */
public final class S3Endpoint {

    private S3Endpoint() {
    }

    /**
     * {@code endpoint} itself if a client can use it.
     *
     * @throws StoreMisconfiguredException naming the endpoint and the accepted form
     */
    public static URI validated(URI endpoint) throws StoreMisconfiguredException {
        String scheme = endpoint.getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || endpoint.getHost() == null) {
            throw new StoreMisconfiguredException("endpoint '" + endpoint
                    + "' must be http://host[:port] or https://host[:port]");
        }
        return endpoint;
    }
}
