package io.kache.core.wrapper;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactSource;
import io.kache.api.ArtifactStore;
import io.kache.api.ArtifactStoreProvider;
import io.kache.api.EntryReader;
import io.kache.api.EntryRejectedException;
import io.kache.api.RemoteSettings;
import io.kache.api.StoreException;
import io.kache.core.remote.filesystem.FilesystemStoreProvider;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Remote type {@value #TYPE}: the filesystem remote at {@code path}, except that a GET of the entry
 * whose cache key is the option {@code reject_key} is refused as S3 refuses one object alone
 * ({@code 400 KeyTooLongError}: {@link EntryRejectedException}). The filesystem remote never
 * rejects an entry, and the wrapper's tests run without an S3 client. The type sorts after the
 * built-in ones, so that an unknown type's message still lists those first.
 */
public final class RejectingStoreProvider implements ArtifactStoreProvider {

    static final String TYPE = "test-rejecting";

    public RejectingStoreProvider() {
        // ServiceLoader needs a public no-argument constructor.
    }

    @Override
    public String id() {
        return TYPE;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public ArtifactStore open(RemoteSettings settings) throws StoreException {
        return new Rejecting(new FilesystemStoreProvider().open(settings),
                Optional.ofNullable(settings.options().get("reject_key")));
    }

    @Override
    public Map<String, String> describe(RemoteSettings settings) {
        return Map.of("client", TYPE);
    }

    private record Rejecting(ArtifactStore delegate, Optional<String> rejected) implements ArtifactStore {

        @Override
        public boolean load(ArtifactKey key, EntryReader reader) throws StoreException {
            if (rejected.equals(Optional.of(key.cacheKey()))) {
                throw new EntryRejectedException("GetObject of " + key + " was rejected (400 KeyTooLongError)");
            }
            return delegate.load(key, reader);
        }

        @Override
        public void store(ArtifactKey key, ArtifactSource source) throws StoreException {
            delegate.store(key, source);
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
        public Optional<byte[]> readRecord(String slot, int maxBytes) throws StoreException {
            return delegate.readRecord(slot, maxBytes);
        }

        @Override
        public void writeRecord(String slot, byte[] record) throws StoreException {
            delegate.writeRecord(slot, record);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
