package io.kache.testkit;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactLayout;
import io.kache.api.ArtifactSource;
import io.kache.api.ArtifactStore;
import io.kache.api.EntryReader;
import io.kache.api.StoreException;
import io.kache.api.StoreUnavailableException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;

/**
 * The reference {@link ArtifactStore}: objects in a sorted map keyed by their object name, listed by
 * prefix and parsed back through {@link ArtifactLayout}, the way a bucket behaves. For tests of code
 * that uses a store, and as the model a backend can be compared with. Entries live as long as the
 * instance; nothing survives the JVM.
 */
public final class InMemoryArtifactStore implements ArtifactStore {

    private final ArtifactLayout layout;
    private final ConcurrentNavigableMap<String, byte[]> objects = new ConcurrentSkipListMap<>();

    /** A store with the default layout. */
    public InMemoryArtifactStore() {
        this(ArtifactLayout.withDefaultPrefix());
    }

    public InMemoryArtifactStore(ArtifactLayout layout) {
        this.layout = Objects.requireNonNull(layout, "layout");
    }

    public ArtifactLayout layout() {
        return layout;
    }

    /**
     * Puts an object under an arbitrary name, as another tool sharing the bucket could: for tests
     * that check foreign objects are ignored.
     */
    public void putRawObject(String objectName, byte[] content) {
        objects.put(objectName, content.clone());
    }

    /** How many objects (entries and foreign objects) are held. */
    public int objectCount() {
        return objects.size();
    }

    @Override
    public boolean load(ArtifactKey key, EntryReader reader) throws StoreException {
        byte[] bytes = objects.get(layout.objectName(key));
        if (bytes == null) {
            return false;
        }
        try (InputStream in = new ByteArrayInputStream(bytes)) {
            reader.read(in, bytes.length);
        } catch (StoreException e) {
            throw e;
        } catch (IOException e) {
            throw new StoreUnavailableException("reading " + key + " from memory failed: " + e.getMessage(), e);
        }
        return true;
    }

    @Override
    public void store(ArtifactKey key, ArtifactSource source) throws StoreException {
        byte[] bytes;
        // Read the whole source before publishing: a failed read must leave nothing visible.
        try (InputStream in = source.open()) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new StoreUnavailableException("reading the source for " + key + " failed: " + e.getMessage(), e);
        }
        if (bytes.length != source.size()) {
            throw new StoreUnavailableException("source for " + key + " announced " + source.size()
                    + " bytes but yielded " + bytes.length);
        }
        // Entries are immutable: the first copy wins, later ones carry the same bytes.
        objects.putIfAbsent(layout.objectName(key), bytes);
    }

    @Override
    public boolean contains(ArtifactKey key) {
        return objects.containsKey(layout.objectName(key));
    }

    @Override
    public Stream<ArtifactKey> list(String crateName) {
        return keysUnder(layout.cratePrefix(crateName));
    }

    @Override
    public Stream<ArtifactKey> listAll() {
        return keysUnder(layout.rootPrefix());
    }

    private Stream<ArtifactKey> keysUnder(String prefix) {
        // A snapshot, like one LIST: later writes do not change a stream already handed out.
        List<String> names = objects.tailMap(prefix).keySet().stream()
                .takeWhile(name -> name.startsWith(prefix))
                .toList();
        return names.stream().map(layout::parse).flatMap(Optional::stream);
    }

    @Override
    public void close() {
        // Nothing to release; the entries stay readable for assertions after close.
    }

    @Override
    public String toString() {
        return "InMemoryArtifactStore[" + layout.prefix() + ", " + objects.size() + " objects]";
    }
}
