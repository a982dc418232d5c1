package io.kache.api;

/**
 * An optional ability of an {@link ArtifactStore}: removing one entry. Builds and syncs never
 * delete (entries are immutable and shared); {@code kache doctor} uses it to remove its probe
 * object. Check with {@code instanceof}; a store opened read-only never offers it.
 */
public interface DeletableStore {

    /**
     * Removes the entry under {@code key}. Idempotent: deleting a missing entry succeeds. A
     * concurrent {@link ArtifactStore#load} sees the whole entry or a miss.
     *
     * @throws StoreException if the store refused or failed; the entry may then still exist
     */
    void delete(ArtifactKey key) throws StoreException;
}
