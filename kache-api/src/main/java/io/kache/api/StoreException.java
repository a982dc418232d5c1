package io.kache.api;

import java.io.IOException;

/**
 * Base of every failure an {@link ArtifactStore} reports. A miss is never an exception.
 * Messages never contain secrets.
 */
public abstract class StoreException extends IOException {

    private static final long serialVersionUID = 1L;

    protected StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether trying the same call again later may succeed. */
    public abstract boolean isRetryable();
}
