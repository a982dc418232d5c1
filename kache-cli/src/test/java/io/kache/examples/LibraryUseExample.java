package io.kache.examples;

// snippet:imports:start
import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactStore;
import io.kache.core.config.ConfigLoader;
import io.kache.core.config.KacheConfig;
import io.kache.core.entry.EntryManifest;
import io.kache.core.remote.RemoteStores;
import io.kache.core.store.LocalStore;
import io.kache.core.sync.OutageGuard;
import io.kache.core.sync.SyncExecutor;
import io.kache.core.sync.SyncListener;
import io.kache.core.sync.SyncOptions;
import io.kache.core.sync.SyncPlanner;
import io.kache.core.sync.SyncResult;
import io.kache.core.sync.cargo.ProjectCrates;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
// snippet:imports:end

/**
 * kache used as a library, as the README's "Library use" section shows it: the code between the
 * {@code snippet} markers is quoted there verbatim, and {@code LibraryUseExampleTest} checks both
 * that it runs against a real S3 server and that the document still quotes it exactly.
 */
public final class LibraryUseExample {

    private LibraryUseExample() {
    }

    // snippet:pull-and-restore:start
    /** Pulls every entry of {@code crate} from the configured remote and restores the first into {@code target}. */
    public static EntryManifest pullAndRestore(Map<String, String> env, Path cwd, String crate, Path target)
            throws IOException {
        KacheConfig config = ConfigLoader.load(env, cwd);       // env, files, defaults: as the kache command
        ArtifactStore remote = RemoteStores.open(config, env)    // the provider chosen for [cache.remote]
                .orElseThrow(() -> new IllegalStateException("no remote configured"));
        try (remote; LocalStore local = LocalStore.open(config.localStore(), config.localMaxSize())) {
            List<ArtifactKey> keys;
            try (Stream<ArtifactKey> listed = remote.list(crate)) {    // one LIST of {prefix}/{crate}/
                keys = listed.sorted(Comparator.comparing(ArtifactKey::cacheKey)).toList();
            }
            for (ArtifactKey key : keys) {
                if (!local.contains(key)) {
                    // Verified while it streams; visible in the store only once complete, and indexed
                    // by its call key so a build through the wrapper finds it too.
                    remote.load(key, (in, size) -> local.importPack(key, in));
                }
            }
            if (keys.isEmpty()) {
                throw new IllegalStateException("the remote has no entry of crate " + crate);
            }
            EntryManifest entry = local.lookup(keys.get(0)).orElseThrow();
            local.restore(entry, target);                             // the entry's files, under their names
            return entry;
        }
    }
    // snippet:pull-and-restore:end

    // snippet:sync-project:start
    /** What {@code kache sync --pull} does for the cargo project at {@code cwd}. */
    public static SyncResult pullProject(Map<String, String> env, Path cwd) throws IOException {
        KacheConfig config = ConfigLoader.load(env, cwd);
        // OutageGuard: once 3 requests in a row failed as unavailable, the rest fail at once, as in `kache sync`.
        ArtifactStore remote = new OutageGuard(RemoteStores.open(config, env)
                .orElseThrow(() -> new IllegalStateException("no remote configured")));
        try (remote; LocalStore local = LocalStore.open(config.localStore(), config.localMaxSize())) {
            ProjectCrates crates = ProjectCrates.discover(cwd, Optional.empty(), env);  // Cargo.lock + cargo metadata
            SyncOptions options = SyncOptions.of(config);                              // s3_concurrency
            SyncPlanner planner = new SyncPlanner(remote, local, options.concurrency(), options.retry());
            return new SyncExecutor(remote, local, options)                          // each crate's pulls start
                    .execute(planner, crates, true, false, SyncListener.NONE);   // as its LIST returns
        }
    }
    // snippet:sync-project:end
}
