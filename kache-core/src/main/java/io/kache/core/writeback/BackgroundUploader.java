package io.kache.core.writeback;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactStore;
import io.kache.api.StoreAccessDeniedException;
import io.kache.api.StoreException;
import io.kache.core.config.ConfigLoader;
import io.kache.core.config.KacheConfig;
import io.kache.core.remote.Attempts;
import io.kache.core.remote.EntryTransfer;
import io.kache.core.remote.RemoteDestination;
import io.kache.core.remote.RemoteStores;
import io.kache.core.remote.RetryPolicy;
import io.kache.core.store.LocalStore;
import io.kache.core.store.PendingUploads;
import io.kache.core.store.UploaderLock;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends queued entries to the remote, one at a time, when the build leaves the machine alone
 * ({@link UploadPacing}: the store quiet for 2 s, or an entry waiting 60 s), stays while the build
 * goes on, and exits once nothing has happened for a few seconds. Started by {@link UploaderLauncher}
 * at low CPU and I/O priority; at most one per store and remote. It sends only the entries queued for
 * its own remote (the configuration of the call that started it): projects sharing the store may
 * each have another remote, and their entries wait for their own uploader or {@code kache sync --push}.
 * On access denied, an unreachable remote or a rejected upload (a missing bucket, a request an
 * endpoint or proxy rejects) it stops and leaves the whole queue for {@code kache sync --push}; an
 * entry rejected alone (the next one goes through) stays queued and is passed over; only an entry
 * that is gone from the local store leaves the queue unsent. A refused or rejected upload is
 * recorded ({@link io.kache.core.store.RemoteHealth#markWriteRefused},
 * {@link io.kache.core.store.RemoteHealth#markWriteRejected}) for the next build to say and
 * {@code kache stats} to show.
 */
public final class BackgroundUploader {

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundUploader.class);

    private BackgroundUploader() {
    }

    /** @param args what {@link UploaderLauncher.Launch#args} gave */
    public static void main(String[] args) throws Exception {
        Map<String, String> env = io.kache.core.CallerEnvironment.current();
        UploaderLauncher.Launch launch = UploaderLauncher.Launch.parse(args);
        KacheConfig config = ConfigLoader.load(launch.configEnv(env), Path.of("").toAbsolutePath());
        try (LocalStore store = LocalStore.open(config.localStore(), config.localMaxSize())) {
            PendingUploads queue = store.pendingUploads();
            Optional<RemoteDestination> its = config.remoteReadonly() ? Optional.empty()
                    : config.remoteSettings().map(RemoteDestination::of);
            Optional<UploaderLock> lock = its.isEmpty() ? Optional.empty() : queue.tryLockUploader(its.get());
            if (lock.isEmpty() || !its.get().equals(launch.launchedFor())) {
                // Another uploader sends them, or the config changed since the call: the launch's mark
                // would refuse the next launch for START_GRACE.
                queue.started(launch.launchedFor());
            }
            if (lock.isEmpty()) {
                return;
            }
            RemoteDestination to = its.get();
            try (UploaderLock held = lock.get(); LazyRemote remote = new LazyRemote(config, env)) {
                queue.started(to);
                Set<ArtifactKey> reached = drain(queue, to, store, remote::get, config.compressionLevel(),
                        UploadPacing.DEFAULT, Clock.SYSTEM);
                // Opened only if something was sent: then this build's record follows its entries.
                Optional<ArtifactStore> sent = remote.opened();
                if (sent.isPresent()) {
                    io.kache.core.sync.records.WriteBackRecords.afterUploads(store, to, sent.get(), env, reached);
                }
            }
        }
    }

    /** The uploader's time: the wall clock (file times are compared with it), and a way to wait. */
    interface Clock {
        Clock SYSTEM = new Clock() {
            @Override
            public long millis() {
                return System.currentTimeMillis();
            }

            @Override
            public void sleep(long millis) throws InterruptedException {
                Thread.sleep(millis);
            }
        };

        long millis();

        void sleep(long millis) throws InterruptedException;
    }

    /**
     * The remote, opened when the first entry is sent: its client (an SDK, the credential chain) is
     * the dearest part of the uploader's start, and that way it happens once the build is quiet.
     */
    private static final class LazyRemote implements AutoCloseable {
        private final KacheConfig config;
        private final Map<String, String> env;
        private Optional<ArtifactStore> remote;

        LazyRemote(KacheConfig config, Map<String, String> env) {
            this.config = config;
            this.env = env;
        }

        Optional<ArtifactStore> get() throws StoreException {
            if (remote == null) {
                remote = RemoteStores.open(config, env);
            }
            return remote;
        }

        /** The remote if {@link #get} opened it, else empty. */
        Optional<ArtifactStore> opened() {
            return remote == null ? Optional.empty() : remote;
        }

        @Override
        public void close() {
            if (remote != null) {
                remote.ifPresent(ArtifactStore::close);
            }
        }
    }

    static Set<ArtifactKey> drain(PendingUploads queue, RemoteDestination to, LocalStore store, ArtifactStore remote,
                                  int level, UploadPacing pacing, Clock clock) throws IOException, InterruptedException {
        return drain(queue, to, store, () -> Optional.of(remote), level, pacing, clock);
    }

    /**
     * Sends the entries queued for {@code to} (the remote {@code opener} opens) as {@code pacing} allows, one entry at a time, deciding again after each, so
     * that a build starting meanwhile pauses the uploads; returns when nothing is left to do.
     *
     * @return the entries this run saw the remote take or found it had: its build record asks no HEAD of them
     */
    static Set<ArtifactKey> drain(PendingUploads queue, RemoteDestination to, LocalStore store, EntryTransfer.Remote opener,
                      int level, UploadPacing pacing, Clock clock) throws IOException, InterruptedException {
        long lastBusy = clock.millis();
        // Entries the remote rejected this run: they stay queued, passed over, for the others to go.
        Set<ArtifactKey> passedOver = new HashSet<>();
        Set<ArtifactKey> reached = new HashSet<>();
        int rejectedInARow = 0;
        while (true) {
            PendingUploads.Snapshot now = queue.snapshot(to);
            List<ArtifactKey> left = now.keys().stream().filter(k -> !passedOver.contains(k)).toList();
            UploadPacing.Step step = pacing.next(clock.millis(), new UploadPacing.View(left.size(),
                    now.oldestQueuedMillis(), now.lastActivityMillis(), lastBusy));
            if (step == UploadPacing.Step.EXIT) {
                return reached;
            }
            if (step == UploadPacing.Step.WAIT) {
                clock.sleep(pacing.poll().toMillis());
                continue;
            }
            lastBusy = clock.millis();
            ArtifactKey key = left.get(0);
            Optional<ArtifactStore> remote;
            try {
                remote = opener.open();
            } catch (StoreException e) {
                LOG.warn("kache: write-back stopped: the remote cannot be opened ({}); kache sync --push will send"
                        + " what waits", e.getMessage());
                if (!e.isRetryable()) {
                    store.remoteHealth(to).markWriteRejected("the remote cannot be opened: " + e.getMessage());
                }
                return reached;
            }
            if (remote.isEmpty()) {
                return reached;
            }
            try {
                if (upload(key, store, remote.get(), level)) {
                    reached.add(key);
                }
                queue.remove(key, to);
                rejectedInARow = 0;
                store.remoteHealth(to).writesAccepted();
            } catch (StoreAccessDeniedException e) {
                LOG.warn("kache: write-back stopped: {}", e.getMessage());
                // Where the next build sees it: this process has no terminal, and its log is read by no one.
                store.remoteHealth(to).markWriteRefused(e.getMessage());
                return reached;
            } catch (StoreException e) {
                if (e.isRetryable()) {
                    LOG.warn("kache: write-back of {} failed ({}); kache sync --push will retry", key, e.getMessage());
                    return reached;
                }
                // Rejected for good: a bucket that does not exist yet, an endpoint or a proxy that rejects
                // the request, which the user can fix; or this entry alone (EntryRejectedException: a
                // proxy's body-size limit). It stays queued and the next is tried: a second rejection in
                // a row, or none left to try, is the remote's, and the uploader stops; the next build says
                // why. An EntryRejectedException counts too: one a server gives every entry (checksum
                // trailers it does not take) must stop the uploader as well.
                passedOver.add(key);
                rejectedInARow++;
                if (rejectedInARow < 2 && left.size() > 1) {
                    LOG.warn("kache: write-back of {} rejected ({}); it stays queued, the others go on", key,
                            e.getMessage());
                    continue;
                }
                LOG.warn("kache: write-back stopped: {}", e.getMessage());
                store.remoteHealth(to).markWriteRejected(e.getMessage());
                return reached;
            }
            lastBusy = clock.millis();
        }
    }

    /**
     * Sends one entry the way {@code kache sync --push} does, once: the remote's client retries each
     * request itself, and what fails here waits in the queue for the next uploader or a sync.
     *
     * @return whether the remote has it now: false when the local store no longer has it to send
     */
    private static boolean upload(ArtifactKey key, LocalStore store, ArtifactStore remote, int level)
            throws IOException {
        if (remote.contains(key)) {
            return true;
        }
        return new EntryTransfer(remote, store).send(key, level, store.newTemp("upload.tar.zst"),
                new Attempts(RetryPolicy.DEFAULT, Attempts.Observer.NONE)).outcome() == EntryTransfer.Outcome.MOVED;
    }
}
