package io.kache.core.sync.records;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactSource;
import io.kache.api.ArtifactStore;
import io.kache.api.EntryReader;
import io.kache.api.StoreException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/** A remote for record tests: which entries it has, its record slots, and failures on demand. */
final class MemoryRemote implements ArtifactStore {
    final Set<ArtifactKey> entries = ConcurrentHashMap.newKeySet();
    final Map<String, byte[]> slots = new ConcurrentHashMap<>();
    final List<String> writes = new CopyOnWriteArrayList<>();
    /** The entries {@link #contains} was asked about (a HEAD each), in order. */
    final List<ArtifactKey> heads = new CopyOnWriteArrayList<>();
    volatile StoreException writeFailure;

    @Override
    public Optional<byte[]> readRecord(String slot, int maxBytes) {
        return Optional.ofNullable(slots.get(slot));
    }

    @Override
    public void writeRecord(String slot, byte[] record) throws StoreException {
        if (writeFailure != null) {
            throw writeFailure;
        }
        writes.add(slot);
        slots.put(slot, record);
    }

    BuildRecord record(String slot) throws BuildRecord.InvalidRecordException {
        return BuildRecord.decode(slots.get(slot));
    }

    @Override
    public boolean load(ArtifactKey key, EntryReader reader) {
        return false;
    }

    @Override
    public void store(ArtifactKey key, ArtifactSource source) {
        entries.add(key);
    }

    @Override
    public boolean contains(ArtifactKey key) {
        heads.add(key);
        return entries.contains(key);
    }

    @Override
    public Stream<ArtifactKey> list(String crateName) {
        return entries.stream().filter(k -> k.crateName().equals(crateName));
    }

    @Override
    public Stream<ArtifactKey> listAll() {
        return entries.stream();
    }

    @Override
    public void close() {
    }
}
