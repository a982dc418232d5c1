package io.kache.core.store;

import io.kache.api.ArtifactKey;
import java.util.List;

/**
 * What {@link LocalStore#verify} found: every blob read whole and compared with its name, every
 * pulled pack's integrity trailer checked.
 *
 * @param blobsChecked blobs read
 * @param bytesRead their total size
 * @param damagedBlobs blobs whose bytes no longer matched their name, now quarantined
 * @param droppedEntries entries that referenced a damaged blob, removed (the next build stores them again)
 * @param droppedPacks pulled packs that failed their trailer check, removed
 */
public record StoreVerification(long blobsChecked, long bytesRead, List<String> damagedBlobs,
                                List<ArtifactKey> droppedEntries, List<ArtifactKey> droppedPacks) {

    public StoreVerification {
        damagedBlobs = List.copyOf(damagedBlobs);
        droppedEntries = List.copyOf(droppedEntries);
        droppedPacks = List.copyOf(droppedPacks);
    }

    /** Whether anything was damaged. */
    public boolean clean() {
        return damagedBlobs.isEmpty() && droppedPacks.isEmpty();
    }
}
