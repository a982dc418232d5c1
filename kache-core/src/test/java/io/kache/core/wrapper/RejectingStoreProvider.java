package io.kache.core.wrapper;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactStore;
import io.kache.api.ArtifactStoreProvider;
import io.kache.api.EntryReader;
import io.kache.api.EntryRejectedException;
import io.kache.api.ForwardingArtifactStore;
import io.kache.api.RemoteSettings;
import io.kache.api.StoreException;
import io.kache.core.remote.filesystem.FilesystemStoreProvider;
import java.util.Map;
import java.util.Optional;

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

    private static final class Rejecting extends ForwardingArtifactStore {
        private final Optional<String> rejected;

        Rejecting(ArtifactStore delegate, Optional<String> rejected) {
            super(delegate);
            this.rejected = rejected;
        }

        @Override
        public boolean load(ArtifactKey key, EntryReader reader) throws StoreException {
            if (rejected.equals(Optional.of(key.cacheKey()))) {
                throw new EntryRejectedException("GetObject of " + key + " was rejected (400 KeyTooLongError)");
            }
            return super.load(key, reader);
        }
    }
}
