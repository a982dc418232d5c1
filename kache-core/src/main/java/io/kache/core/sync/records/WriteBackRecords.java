package io.kache.core.sync.records;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactStore;
import io.kache.core.config.ConfigLoader;
import io.kache.core.remote.RemoteDestination;
import io.kache.core.journal.BuildEvent;
import io.kache.core.store.LocalStore;
import io.kache.core.sync.cargo.ProjectCrates;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-back's build record: when the detached uploader has sent every queued entry, it records
 * the newest build in the journal, as {@code kache sync --push} would, naming only entries the remote
 * has (a HEAD each for those the uploader did not just send or find there). The workspace is the parent of the build's target
 * directory, confirmed by {@code cargo metadata --no-deps}; a build whose target directory lies
 * elsewhere ({@code CARGO_TARGET_DIR}) gets its record from {@code kache sync --push} only, and so does
 * a build whose workspace's configuration names another remote than the uploader's.
 */
public final class WriteBackRecords {

    private static final Logger LOG = LoggerFactory.getLogger(WriteBackRecords.class);
    /** Builds older than this are not recorded by the uploader: it serves the build that started it. */
    static final Duration RECENT = Duration.ofHours(1);

    private WriteBackRecords() {
    }

    /**
     * Writes the record of the newest recent build, if its workspace is found. Never throws: a record is
     * an optimisation, and {@code kache sync --push} writes one too.
     *
     * @param reached the entries the uploader saw the remote take or found there: no HEAD asks for them
     * @return the records written: one per profile and kind of build of the newest build, if any
     */
    public static List<BuildRecord> afterUploads(LocalStore store, RemoteDestination to, ArtifactStore remote,
                                                 Map<String, String> env, Set<ArtifactKey> reached) {
        try {
            if (!store.pendingUploads().list(to).isEmpty()) {
                return List.of(); // not everything reached the remote: the next uploader or a sync records
            }
            List<BuildEvent> events = store.journal().read(System.currentTimeMillis() - RECENT.toMillis());
            Optional<BuildEvent> last = events.stream().filter(e -> e.entryKey().isPresent()).reduce((a, b) -> b);
            if (last.isEmpty()) {
                return List.of();
            }
            Optional<ProjectCrates.Workspace> ws = BuildIdentities.workspaceOf(
                    Path.of(last.get().workspace().targetDir()), env);
            if (ws.isEmpty()) {
                return List.of();
            }
            // The newest build may be another project's sharing the store, with another remote: its
            // record (its workspace's identity, its entries) is for its own remote or its own sync.
            io.kache.core.config.KacheConfig config = ConfigLoader.load(env, ws.get().root());
            Optional<RemoteDestination> its = config.remoteSettings().map(RemoteDestination::of);
            if (!its.equals(Optional.of(to))) {
                LOG.debug("kache: the newest build ({}) writes back elsewhere: no build record", ws.get().root());
                return List.of();
            }
            List<BuildRecord> written = new ArrayList<>();
            // One record per profile and kind of build among the newest build's calls.
            for (BuildRecord record : JournalRecords.fromJournal(store, ws.get(), env)) {
                BuildRecord merged = PreviousRecords.withPrevious(remote, record, store, ws.get(), LOG::debug);
                // A HEAD per entry not just sent, s3_concurrency at a time: a carried-on record names every
                // crate of the workspace, and one after another they took seconds at a remote's round trip.
                Set<ArtifactKey> present = RemotePresence.filter(remote, merged.entries(), reached,
                        config.s3Concurrency());
                if (present.isEmpty()) {
                    LOG.debug("kache: no entry of build {} is in the remote: no build record", record.build());
                    continue;
                }
                BuildRecord r = new BuildRecord(record.created(), record.build(), record.identity(), present);
                RecordWriter.write(remote, r);
                LOG.debug("kache: build record of {} ({}) written ({} entries)", r.build(), r.identity().kind(),
                        present.size());
                written.add(r);
            }
            return written;
        } catch (IOException | RuntimeException e) {
            LOG.debug("kache: no build record from the write-back: {}", e.toString());
            return List.of();
        }
    }
}
