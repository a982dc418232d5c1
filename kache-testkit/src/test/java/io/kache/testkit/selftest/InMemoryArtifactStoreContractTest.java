package io.kache.testkit.selftest;

import io.kache.api.ArtifactStore;
import io.kache.testkit.ArtifactStoreContract;
import io.kache.testkit.InMemoryArtifactStore;

/**
 * The reference store passes its own contract. Lives outside {@code io.kache.testkit} so it also
 * proves a backend in another package can extend the contract.
 */
class InMemoryArtifactStoreContractTest extends ArtifactStoreContract {

    @Override
    protected ArtifactStore newStore() {
        return new InMemoryArtifactStore();
    }

    @Override
    protected void putForeignObject(ArtifactStore store, String nameUnderPrefix, byte[] content) {
        InMemoryArtifactStore memory = (InMemoryArtifactStore) store;
        memory.putRawObject(memory.layout().prefix() + "/" + nameUnderPrefix, content);
    }
}
