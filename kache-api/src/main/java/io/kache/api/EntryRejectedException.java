package io.kache.api;

/**
 * The store refused one entry as it is: its body is larger (or a part smaller) than the store or a
 * proxy in front of it accepts, its name is one the store does not take, or its body did not match
 * its checksum on the way. Neither the store's configuration nor an outage: the same call with
 * another entry may succeed, and trying this entry again unchanged will not. A caller reports it
 * against this entry and goes on with the others; the entry stays where it was (the local store,
 * the upload queue). The message names the object, the operation, the store's answer and what a
 * user can change.
 */
public class EntryRejectedException extends StoreException {

    private static final long serialVersionUID = 1L;

    public EntryRejectedException(String message, Throwable cause) {
        super(message, cause);
    }

    public EntryRejectedException(String message) {
        super(message, null);
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
