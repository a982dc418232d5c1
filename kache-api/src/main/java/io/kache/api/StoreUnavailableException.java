package io.kache.api;

/**
 * The store could not be reached or answered with a transient failure: a timeout, a refused
 * connection, a 5xx, throttling. Retrying later may succeed.
 */
public class StoreUnavailableException extends StoreException {

    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreUnavailableException(String message) {
        super(message, null);
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
