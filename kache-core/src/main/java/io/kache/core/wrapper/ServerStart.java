package io.kache.core.wrapper;

import io.kache.api.ArtifactStore;
import io.kache.api.RemoteSettings;
import io.kache.api.StoreException;
import io.kache.core.config.ConfigLoader;
import io.kache.core.remote.RemoteStores;
import io.kache.core.store.LocalStore;
import io.kache.core.sync.records.BuildIdentity;
import io.kache.core.sync.records.BuildRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the kache server does for its remote as it starts, on a thread of its own, with the
 * configuration of the call that started it ({@link OpenRemotes#openAheadFor}): the server's JVM is
 * up well before cargo's first compile call, so the remote is open by then rather than opening from
 * the first served call on. When the local store holds no entry (a fresh CI runner's: every call of
 * the build will miss), it also reads the start directory's workspace for the build's prefetch
 * ({@link BuildPrefetcher#readStartWorkspace}) and, unless a prefetch has started already, asks the
 * remote once for a record no build has ({@link #WARM_UP_SLOT}), so that the connection and the first
 * request's set-up are done before the build's first call reads its record. The warm-up's answer, or
 * failure, is only logged. A class of its own, loaded by the server only: the JVM wrapper's calls
 * never pay for its logger.
 */
final class ServerStart {

    private static final Logger LOG = LoggerFactory.getLogger(ServerStart.class);
    /** A record slot no build has (slots are digests: all zeros is none in practice): what the warm-up asks for. */
    static final String WARM_UP_SLOT = "0".repeat(32);

    private ServerStart() {
    }

    static void prepare(OpenRemotes remotes, Map<String, String> env, Path cwd) {
        try {
            WrapperSettings settings = WrapperSettings.of(ConfigLoader.load(env, cwd));
            if (settings.disabled()) {
                return;
            }
            Optional<RemoteSettings> remote = RemoteStores.withCredentials(settings.remote(), env);
            if (remote.isEmpty()) {
                return;
            }
            // Asked before the first calls open (and so create) the store.
            boolean fresh = fresh(settings.storeRoot(), settings.maxSize());
            if (fresh) {
                // Every call of the build will miss: its workspace is read now, while cargo starts.
                remotes.prefetcher().ifPresent(p -> p.readStartWorkspace(env, cwd));
            }
            long start = System.nanoTime();
            remotes.openAhead(remote);
            Optional<ArtifactStore> store = remotes.get(remote);
            long opened = System.nanoTime();
            // Not once a build's prefetch started: its record read is the first request then, and
            // two first requests at once only slow each other.
            boolean warmUp = store.isPresent() && fresh
                    && remotes.prefetcher().map(p -> !p.anyStarted()).orElse(false);
            if (warmUp) {
                warmUp(store.get());
            }
            // Shown on the server's stderr (kache __server by hand) and by bench/prefetch.sh.
            LOG.info("kache: the server's remote opened in {} ms{}, ready {} ms after the server's start",
                    TimeUnit.NANOSECONDS.toMillis(opened - start), warmUp ? " and warmed up in "
                            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - opened) + " ms" : "",
                    BuildPrefetcher.sinceServerStart(System.nanoTime()));
        } catch (StoreException | RuntimeException e) {
            WrapperLog.debug("the server's remote is opened by its calls: " + e.getMessage());
        }
    }

    private static void warmUp(ArtifactStore store) {
        try {
            store.readRecord(WARM_UP_SLOT, BuildRecord.MAX_BYTES);
            // The record's reader too, which the first miss uses next.
            BuildIdentity id = new BuildIdentity("-", "host", "debug", "none", "none", "-");
            BuildRecord.decode(new BuildRecord(0, "warm-up", id, Set.of()).encode());
        } catch (StoreException | BuildRecord.InvalidRecordException | RuntimeException e) {
            WrapperLog.debug("warming the remote up failed: " + e);
        }
    }

    /** Whether the local store at {@code root} holds no entry: a fresh runner's. */
    static boolean fresh(Path root, long maxSize) {
        try (LocalStore store = LocalStore.open(root, maxSize)) {
            return store.holdsNoEntry();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
