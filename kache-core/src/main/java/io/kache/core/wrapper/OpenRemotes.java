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
 * The remotes opened for the calls of one owner, keyed by their complete settings (credentials
 * included), each opened on first use and closed by {@link #close}. The owner is the kache server,
 * for its lifetime, or one wrapper call in its own JVM: the server reads through for many calls, and
 * building an S3 client per call would cost more than the lookup. Stores are thread-safe by the
 * SPI's contract.
 */
public final class OpenRemotes implements AutoCloseable {

    /** Opens the remote of resolved settings: the providers on the class path, or a test's. */
    @FunctionalInterface
    interface Opener {
        Optional<ArtifactStore> open(RemoteSettings settings) throws StoreException;
    }

    /** Opens a remote through the store providers on kache's class path. */
    static final Opener PROVIDERS = settings -> RemoteStores.open(Optional.of(settings),
            StoreProviders.discover(OpenRemotes.class.getClassLoader()));

    private final Map<RemoteSettings, ArtifactStore> open = new ConcurrentHashMap<>();
    private final Opener opener;
    private volatile boolean closed;

    /** Remotes opened through the store providers on kache's class path. */
    public OpenRemotes() {
        this(PROVIDERS);
    }

    OpenRemotes(Opener opener) {
        this.opener = opener;
    }

    /**
     * The store for {@code settings}, opened on first use; empty when no remote applies, or once
     * the owner has closed its remotes (a call still running then compiles, as on a miss).
     */
    Optional<ArtifactStore> get(Optional<RemoteSettings> settings) throws StoreException {
        if (settings.isEmpty() || closed) {
            return Optional.empty();
        }
        ArtifactStore known = open.get(settings.get());
        if (known != null) {
            return Optional.of(known);
        }
        Optional<ArtifactStore> opened = opener.open(settings.get());
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        ArtifactStore raced = open.putIfAbsent(settings.get(), opened.get());
        if (raced != null) {
            opened.get().close();
            return Optional.of(raced);
        }
        if (closed) {
            // Opened while the owner closed the others: closed here, as nobody else would.
            close();
            return Optional.empty();
        }
        return opened;
    }

    /** Closes every remote opened here; a failure to close one does not keep the others open. */
    @Override
    public void close() {
        closed = true;
        for (RemoteSettings settings : open.keySet()) {
            // Removed one by one: a store is closed once, whoever (this or a racing get) removes it.
            ArtifactStore store = open.remove(settings);
            if (store == null) {
                continue;
            }
            try {
                store.close();
            } catch (RuntimeException e) {
                WrapperLog.debug("closing a remote failed: " + e);
            }
        }
    }
}
