package io.kache.core.sync;

import io.kache.api.ArtifactKey;
import java.util.List;
import java.util.Set;

/**
 * What a sync will move: decided before anything moves for a dry run, and as crates are listed
 * when the pulls start early ({@link SyncExecutor#execute(SyncPlanner, io.kache.core.sync.cargo.ProjectCrates,
 * boolean, boolean, SyncListener)}).
 *
 * @param pulls entries in the remote (of the project's crates) that the local store lacks
 * @param pushes local entries (of the workspace's own crates) that the remote lacks
 * @param listingFailures one message per crate whose remote listing failed after retries; its
 *     entries are in neither list
 * @param notes how the crates were chosen, for the user
 * @param listedInRemote the build record's entries the listing found in the remote: its record may
 *     name them without a HEAD each
 */
public record SyncPlan(List<Transfer> pulls, List<Transfer> pushes, List<String> listingFailures,
                       List<String> notes, Set<ArtifactKey> listedInRemote) {

    public SyncPlan {
        pulls = List.copyOf(pulls);
        pushes = List.copyOf(pushes);
        listingFailures = List.copyOf(listingFailures);
        notes = List.copyOf(notes);
        listedInRemote = Set.copyOf(listedInRemote);
    }

    /** A plan without a build record's entries. */
    public SyncPlan(List<Transfer> pulls, List<Transfer> pushes, List<String> listingFailures, List<String> notes) {
        this(pulls, pushes, listingFailures, notes, Set.of());
    }

    /** Pulls, then pushes. */
    public List<Transfer> all() {
        return java.util.stream.Stream.concat(pulls.stream(), pushes.stream()).toList();
    }
}
