package io.kache.core.remote;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactSource;
import io.kache.api.ArtifactStore;
import io.kache.api.EntryReader;
import io.kache.api.StoreAccessDeniedException;
import io.kache.api.StoreException;
import java.util.stream.Stream;

/**
 * A remote opened with {@code remote_readonly}: reads pass through, {@link #store} is refused
 * before anything reaches the backend, so no credentials' write permission is ever exercised.
 */
final class ReadOnlyArtifactStore implements ArtifactStore {

    private final ArtifactStore delegate;
    private final String location;

    ReadOnlyArtifactStore(ArtifactStore delegate, String location) {
        this.delegate = delegate;
        this.location = location;
    }

    @Override
    public boolean load(ArtifactKey key, EntryReader reader) throws StoreException {
        return delegate.load(key, reader);
    }

    /** @throws StoreAccessDeniedException always, naming {@code remote_readonly} */
    @Override
    public void store(ArtifactKey key, ArtifactSource source) throws StoreAccessDeniedException {
        throw new StoreAccessDeniedException(location, "store " + key,
                "remote_readonly is set (KACHE_REMOTE_READONLY or [cache] remote_readonly); kache only reads this remote",
                null);
    }

    @Override
    public java.util.Optional<byte[]> readRecord(String slot, int maxBytes) throws StoreException {
        return delegate.readRecord(slot, maxBytes);
    }

    /** @throws StoreAccessDeniedException always: read-only credentials read records and never write them */
    @Override
    public void writeRecord(String slot, byte[] record) throws StoreAccessDeniedException {
        throw new StoreAccessDeniedException(location, "write build record " + slot,
                "remote_readonly is set (KACHE_REMOTE_READONLY or [cache] remote_readonly); kache only reads this remote",
                null);
    }

    @Override
    public boolean contains(ArtifactKey key) throws StoreException {
        return delegate.contains(key);
    }

    @Override
    public Stream<ArtifactKey> list(String crateName) throws StoreException {
        return delegate.list(crateName);
    }

    @Override
    public Stream<ArtifactKey> listAll() throws StoreException {
        return delegate.listAll();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return "read-only " + delegate;
    }
}
