package io.kache.core.remote;

import io.kache.api.ArtifactKey;
import java.io.IOException;

/**
 * The remote delivered an entry and the local store could not take it: its disk is full, its
 * directory cannot be written, or its own work (its lock held by a collection, a disk that stopped)
 * kept the import from ending within the fetch's bound ({@link TransferPace}). The local store's
 * failure, never the remote's: whoever fetched must not mark the remote failed or count it towards
 * an outage.
 */
public final class LocalImportException extends IOException {

    private static final long serialVersionUID = 1L;

    private final ArtifactKey key;

    LocalImportException(ArtifactKey key, IOException cause) {
        super("the local store could not take it: "
                + (cause.getMessage() == null ? cause.toString() : cause.getMessage()), cause);
        this.key = key;
    }

    /** The entry that was not taken. */
    public ArtifactKey key() {
        return key;
    }

    @Override
    public synchronized IOException getCause() {
        return (IOException) super.getCause();
    }
}
