package io.kache.s3.aws;

import io.kache.core.remote.s3.backend.S3Connections;

/**
 * Room in the JDK's keep-alive cache for every connection kache may use at once. The SDK's
 * url-connection client has no pool of its own: idle connections wait in the JDK's cache, which
 * keeps {@code http.maxConnections} per server (five unless set) and closes any more. The property
 * is JVM-wide and read once, when the JDK first keeps a connection; kache sets it before it builds
 * its first client, unless it is set already. A program that used the URL connection before it
 * opened a kache remote keeps the JDK's number; it can set the property itself, or call {@link
 * #reserve} first, as kache's sync benchmark does for its raw GETs.
 */
public final class UrlConnectionKeepAlive {

    static final String PROPERTY = "http.maxConnections";

    private UrlConnectionKeepAlive() {
    }

    /** Raises the JDK's bound to {@link S3Connections#MAX_PARALLEL}, unless someone chose a bound. */
    public static void reserve() {
        synchronized (System.getProperties()) {
            if (System.getProperty(PROPERTY) == null) {
                System.setProperty(PROPERTY, Integer.toString(S3Connections.MAX_PARALLEL));
            }
        }
    }
}
