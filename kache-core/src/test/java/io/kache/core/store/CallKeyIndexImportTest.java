package io.kache.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kache.api.ArtifactKey;
import io.kache.core.key.CacheKeyRecipe;
import io.kache.core.key.InputSet;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store keeps its entries and its call-key index in step: an entry brought in from elsewhere is
 * found by its call key as if it had been compiled here, unless what it records does not hash to its key.
 */
class CallKeyIndexImportTest {

    private static final String CALL_KEY = "c".repeat(64);
    private static final InputSet INPUTS = new InputSet(List.of(), List.of());

    @TempDir
    Path temp;

    @Test
    void anImportedEntryIsIndexedUnderItsCallKey() throws IOException {
        String entryKey = CacheKeyRecipe.entryKey(CALL_KEY, INPUTS);
        byte[] pack = pack(new ArtifactKey("serde", entryKey), CALL_KEY);
        try (LocalStore store = open("imported")) {
            store.importPack(new ArtifactKey("serde", entryKey), new ByteArrayInputStream(pack));
            assertEquals(List.of(new CallKeyIndex.Candidate(entryKey, INPUTS)),
                    store.callKeyIndex().candidates(CALL_KEY));
        }
        try (LocalStore store = open("pulled")) {
            store.storePack(new ArtifactKey("serde", entryKey), new ByteArrayInputStream(pack));
            assertEquals(List.of(new CallKeyIndex.Candidate(entryKey, INPUTS)),
                    store.callKeyIndex().candidates(CALL_KEY));
        }
    }

    @Test
    void anEntryWhoseInputsDoNotHashToItsKeyIsNotIndexed() throws IOException {
        ArtifactKey key = new ArtifactKey("serde", "e".repeat(64));
        byte[] pack = pack(key, CALL_KEY);
        try (LocalStore store = open("imported")) {
            store.importPack(key, new ByteArrayInputStream(pack));
            assertEquals(List.of(), store.callKeyIndex().candidates(CALL_KEY));
        }
    }

    private LocalStore open(String name) throws IOException {
        return LocalStore.open(temp.resolve(name), 1L << 30);
    }

    /** A pack of an entry recording {@code callKey} and {@link #INPUTS}, as the wrapper stores them. */
    private byte[] pack(ArtifactKey key, String callKey) throws IOException {
        try (LocalStore source = open("source")) {
            source.put(key, StoreFixtures.libOutputs(temp.resolve("out"), key.crateName(), "s", 1000), null, null,
                    Map.of(CallKeyIndex.CALL_KEY_ATTRIBUTE, callKey, CallKeyIndex.INPUTS_ATTRIBUTE, INPUTS.encode()));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            source.exportPack(key, out, 3);
            source.purge(java.util.Optional.empty());
            return out.toByteArray();
        }
    }
}
