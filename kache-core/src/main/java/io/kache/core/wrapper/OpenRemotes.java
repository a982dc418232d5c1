package io.kache.core.wrapper;

import io.kache.api.ArtifactStore;
import io.kache.api.RemoteSettings;
import io.kache.api.StoreException;
import io.kache.api.StoreProviders;
import io.kache.core.remote.RemoteStores;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remotes opened by this JVM, kept open for its life and keyed by their complete settings
 * (credentials included): the kache server reads through for many calls, and building an S3 client
 * per call would cost more than the lookup. Stores are thread-safe by the SPI's contract.
 */
final class OpenRemotes {

    private static final Map<RemoteSettings, ArtifactStore> OPEN = new ConcurrentHashMap<>();

    private OpenRemotes() {
    }

    /** The store for {@code settings}, opened on first use; empty when no remote applies. */
    static Optional<ArtifactStore> get(Optional<RemoteSettings> settings) throws StoreException {
        if (settings.isEmpty()) {
            return Optional.empty();
        }
        ArtifactStore open = OPEN.get(settings.get());
        if (open != null) {
            return Optional.of(open);
        }
        Optional<ArtifactStore> opened = RemoteStores.open(settings,
                StoreProviders.discover(OpenRemotes.class.getClassLoader()));
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        ArtifactStore raced = OPEN.putIfAbsent(settings.get(), opened.get());
        if (raced != null) {
            opened.get().close();
            return Optional.of(raced);
        }
        return opened;
    }
}
