package io.kache.api;

/**
 * No {@link ArtifactStoreProvider} can serve the configured remote: an unknown type or client id,
 * a tie between providers, or none on the class path. The message lists what is available.
 */
public class NoSuchProviderException extends StoreException {

    private static final long serialVersionUID = 1L;

    public NoSuchProviderException(String message) {
        super(message, null);
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
