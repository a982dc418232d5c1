package io.kache.api;

/**
 * The store refused the credentials for one operation (401/403, a read-only directory). Never
 * retried: the same credentials will be refused again.
 */
public class StoreAccessDeniedException extends StoreException {

    private static final long serialVersionUID = 1L;

    private final String location;
    private final String operation;

    /**
     * @param location the bucket or path that refused, e.g. {@code s3://bucket/prefix}
     * @param operation what was attempted, e.g. {@code PutObject}
     * @param hint a sentence on the likely fix, or {@code null}
     */
    public StoreAccessDeniedException(String location, String operation, String hint, Throwable cause) {
        super("access denied: " + operation + " on " + location + (hint == null ? "" : " (" + hint + ")"), cause);
        this.location = location;
        this.operation = operation;
    }

    public String location() {
        return location;
    }

    public String operation() {
        return operation;
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
