package io.kache.api;

/**
 * The store's settings cannot work: a missing bucket, a malformed endpoint, a path that is not a
 * directory. Found when the store opens or on first use; fixing the configuration is the cure.
 */
public class StoreMisconfiguredException extends StoreException {

    private static final long serialVersionUID = 1L;

    public StoreMisconfiguredException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreMisconfiguredException(String message) {
        super(message, null);
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
