package io.kache.api;

/**
 * An entry's bytes are not a valid pack: truncated, tampered with, hostile (paths escaping the
 * target, links, devices), or its content does not match its recorded hashes. Nothing of it was
 * used.
 */
public class CorruptedEntryException extends StoreException {

    private static final long serialVersionUID = 1L;

    public CorruptedEntryException(String message, Throwable cause) {
        super(message, cause);
    }

    public CorruptedEntryException(String message) {
        super(message, null);
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
