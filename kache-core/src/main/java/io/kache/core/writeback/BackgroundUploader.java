package io.kache.core.writeback;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactStore;
import io.kache.api.StoreAccessDeniedException;
import io.kache.api.StoreException;
import io.kache.core.config.ConfigLoader;
import io.kache.core.config.KacheConfig;
import io.kache.core.remote.Attempts;
import io.kache.core.remote.EntryTransfer;
import io.kache.core.remote.RemoteStores;
import io.kache.core.remote.RetryPolicy;
import io.kache.core.store.LocalStore;
import io.kache.core.store.PendingUploads;
import io.kache.core.store.UploaderLock;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends queued entries to the remote, one at a time, then lingers briefly for entries the running
 * build is still producing, and exits. Started by {@link UploaderLauncher}; at most one per store.
 * On access denied or an unreachable remote it stops and leaves the queue for {@code kache sync --push}.
 */
public final class BackgroundUploader {

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundUploader.class);
    private static final long LINGER_MILLIS = 3000;
    private static final long POLL_MILLIS = 200;

    private BackgroundUploader() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        KacheConfig config = ConfigLoader.load(env, Path.of("").toAbsolutePath());
        if (config.remoteReadonly()) {
            return;
        }
        try (LocalStore store = LocalStore.open(config.localStore(), config.localMaxSize())) {
            PendingUploads queue = store.pendingUploads();
            Optional<UploaderLock> lock = queue.tryLockUploader();
            if (lock.isEmpty()) {
                return;
            }
            try (UploaderLock held = lock.get()) {
                Optional<ArtifactStore> remote = RemoteStores.open(config, env);
                if (remote.isEmpty()) {
                    return;
                }
                try (ArtifactStore r = remote.get()) {
                    drain(queue, store, r, config.compressionLevel());
                    io.kache.core.sync.records.WriteBackRecords.afterUploads(store, r, env);
                }
            }
        }
    }

    static void drain(PendingUploads queue, LocalStore store, ArtifactStore remote, int level)
            throws IOException, InterruptedException {
        long idleSince = System.currentTimeMillis();
        while (System.currentTimeMillis() - idleSince < LINGER_MILLIS) {
            List<ArtifactKey> keys = queue.list();
            if (keys.isEmpty()) {
                Thread.sleep(POLL_MILLIS);
                continue;
            }
            for (ArtifactKey key : keys) {
                try {
                    upload(key, store, remote, level);
                    queue.remove(key);
                } catch (StoreAccessDeniedException e) {
                    LOG.warn("kache: write-back stopped: {}", e.getMessage());
                    return;
                } catch (StoreException e) {
                    LOG.warn("kache: write-back of {} failed ({}); kache sync --push will retry", key, e.getMessage());
                    if (e.isRetryable()) {
                        return;
                    }
                    queue.remove(key);
                }
            }
            idleSince = System.currentTimeMillis();
        }
    }

    /**
     * Sends one entry the way {@code kache sync --push} does, once: the remote's client retries each
     * request itself, and what fails here waits in the queue for the next uploader or a sync.
     */
    private static void upload(ArtifactKey key, LocalStore store, ArtifactStore remote, int level) throws IOException {
        if (remote.contains(key)) {
            return;
        }
        new EntryTransfer(remote, store).send(key, level, store.newTemp("upload.tar.zst"),
                new Attempts(RetryPolicy.DEFAULT, Attempts.Observer.NONE));
    }
}
