package io.kache.core.wrapper;

import io.kache.api.ArtifactKey;
import io.kache.core.entry.EntryManifest;
import io.kache.core.key.CacheKeyRecipe;
import io.kache.core.key.InputManifests;
import io.kache.core.key.InputSet;
import io.kache.core.store.LocalStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Brings entries from elsewhere (a pull, a read-through) into the local store so the wrapper finds
 * them: the pack is verified and imported, then the entry's recorded inputs are remembered under
 * its call key, exactly as if this machine had compiled it.
 */
public final class EntryImports {

    private EntryImports() {
    }

    /**
     * Imports a pack of {@code key} and remembers its inputs.
     *
     * @throws io.kache.api.CorruptedEntryException if the pack is not a valid entry of {@code key}
     */
    public static void importPack(LocalStore store, ArtifactKey key, InputStream pack) throws IOException {
        store.importPack(key, pack);
        remember(store, key);
    }

    /**
     * Keeps a pulled pack of {@code key} (unpacked on first use, see {@link LocalStore#storePack})
     * and remembers its inputs from the manifest it holds.
     *
     * @throws io.kache.api.CorruptedEntryException if the pack is damaged or holds another key
     */
    public static void storePack(LocalStore store, ArtifactKey key, InputStream pack) throws IOException {
        remember(store, store.storePack(key, pack));
    }

    /**
     * Records the input manifest of an entry already in the store. An entry whose recorded call key
     * and inputs do not hash to its own key is not remembered (it stays reachable by key only).
     *
     * @return whether the entry can now be found by the wrapper
     */
    public static boolean remember(LocalStore store, ArtifactKey key) throws IOException {
        Optional<EntryManifest> entry = store.lookup(key);
        return entry.isPresent() && remember(store, entry.get());
    }

    private static boolean remember(LocalStore store, EntryManifest entry) throws IOException {
        ArtifactKey key = entry.key();
        String callKey = entry.attributes().get(EntryAttributes.CALL_KEY);
        String inputs = entry.attributes().get(EntryAttributes.INPUTS);
        if (callKey == null || inputs == null || !ArtifactKey.isValidCacheKey(callKey)) {
            return false;
        }
        InputSet set;
        try {
            set = InputSet.decode(inputs);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (!CacheKeyRecipe.entryKey(callKey, set).equals(key.cacheKey())) {
            WrapperLog.warn("entry " + key + " records inputs that do not match its key; not indexed");
            return false;
        }
        InputManifests.ofStore(store.root()).record(callKey, new InputManifests.Candidate(key.cacheKey(), set));
        return true;
    }
}
