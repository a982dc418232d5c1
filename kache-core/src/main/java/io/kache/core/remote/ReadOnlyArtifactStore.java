package io.kache.core.remote;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactSource;
import io.kache.api.ArtifactStore;
import io.kache.api.ForwardingArtifactStore;
import io.kache.api.StoreAccessDeniedException;

/**
 * A remote opened with {@code remote_readonly}: reads pass through, {@link #store} is refused
 * before anything reaches the backend, so no credentials' write permission is ever exercised.
 */
final class ReadOnlyArtifactStore extends ForwardingArtifactStore {

    private final String location;

    ReadOnlyArtifactStore(ArtifactStore delegate, String location) {
        super(delegate);
        this.location = location;
    }

    /** @throws StoreAccessDeniedException always, naming {@code remote_readonly} */
    @Override
    public void store(ArtifactKey key, ArtifactSource source) throws StoreAccessDeniedException {
        throw new StoreAccessDeniedException(location, "store " + key,
                "remote_readonly is set (KACHE_REMOTE_READONLY or [cache] remote_readonly); kache only reads this remote",
                null);
    }

    /** @throws StoreAccessDeniedException always: read-only credentials read records and never write them */
    @Override
    public void writeRecord(String slot, byte[] record) throws StoreAccessDeniedException {
        throw new StoreAccessDeniedException(location, "write build record " + slot,
                "remote_readonly is set (KACHE_REMOTE_READONLY or [cache] remote_readonly); kache only reads this remote",
                null);
    }

    @Override
    public String toString() {
        return "read-only " + delegate();
    }
}
