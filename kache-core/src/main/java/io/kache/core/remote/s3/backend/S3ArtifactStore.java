package io.kache.core.remote.s3.backend;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactLayout;
import io.kache.api.ArtifactSource;
import io.kache.api.ArtifactStore;
import io.kache.api.DeletableStore;
import io.kache.api.EntryReader;
import io.kache.api.StoreAccessDeniedException;
import io.kache.api.StoreException;
import java.io.IOException;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * An S3 bucket through one {@link BucketClient}: objects named by the {@link ArtifactLayout}, a
 * missing key is a miss, a read-only remote refuses writes before any request, and listings yield
 * only well-formed keys. Uses GetObject, HeadObject, PutObject (and its multipart form) and
 * ListBucket; DeleteObject only when asked to ({@code kache doctor}'s probe); never creates a bucket.
 */
public final class S3ArtifactStore implements ArtifactStore, DeletableStore {

    private final String name;
    private final BucketClient client;
    private final ArtifactLayout layout;
    private final S3ErrorMapper errors;
    private final boolean readOnly;

    /**
     * @param name how the store names itself in {@link #toString()}, e.g. {@code AwsS3Store}
     * @param readOnly whether {@link #store} is refused without asking the server
     */
    public S3ArtifactStore(String name, BucketClient client, ArtifactLayout layout, S3ErrorMapper errors,
            boolean readOnly) {
        this.name = name;
        this.client = client;
        this.layout = layout;
        this.errors = errors;
        this.readOnly = readOnly;
    }

    @Override
    public boolean load(ArtifactKey key, EntryReader reader) throws StoreException {
        String objectName = layout.objectName(key);
        Optional<BucketClient.Download> found = client.getObject(objectName);
        if (found.isEmpty()) {
            return false;
        }
        // The reader runs once, outside any retry: it may already have acted on part of the bytes.
        return consume(found.get(), objectName, in -> {
            reader.read(in.body(), in.length());
            return true;
        });
    }

    /** @throws StoreAccessDeniedException at once on a read-only remote */
    @Override
    public void store(ArtifactKey key, ArtifactSource source) throws StoreException {
        String objectName = layout.objectName(key);
        if (readOnly) {
            throw errors.readOnlyRefusal();
        }
        client.putObject(objectName, source);
    }

    /** @throws StoreAccessDeniedException at once on a read-only remote */
    @Override
    public void delete(ArtifactKey key) throws StoreException {
        if (readOnly) {
            throw errors.readOnlyRefusal();
        }
        client.deleteObject(layout.objectName(key));
    }

    @Override
    public Optional<byte[]> readRecord(String slot, int maxBytes) throws StoreException {
        String objectName = layout.recordName(slot);
        Optional<BucketClient.Download> found = client.getObject(objectName);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        return consume(found.get(), objectName, in -> {
            if (in.length() > maxBytes) {
                throw new io.kache.api.CorruptedEntryException(objectName + " is larger than " + maxBytes + " bytes");
            }
            return Optional.of(io.kache.core.remote.RecordBytes.read(in.body(), maxBytes, objectName));
        });
    }

    /** What a GET does with the object's body. */
    @FunctionalInterface
    private interface BodyUse<T> {
        T use(BucketClient.Download in) throws IOException, StoreException;
    }

    /**
     * Runs {@code use} on {@code in} and closes it. A body not used to its end is abandoned before it
     * is closed: closed first, a client may read the rest to keep the connection, the bytes of an
     * entry already refused. A read or transport failure is this store's read failure of
     * {@code objectName}.
     */
    private <T> T consume(BucketClient.Download in, String objectName, BodyUse<T> use) throws StoreException {
        try (in) {
            boolean finished = false;
            try {
                T result = use.use(in);
                finished = true;
                return result;
            } finally {
                if (!finished) {
                    in.abandon();
                }
            }
        } catch (StoreException e) {
            throw e;
        } catch (IOException e) {
            throw errors.readFailed(objectName, e);
        } catch (RuntimeException e) {
            if (!in.isTransportFailure(e)) {
                throw e;
            }
            throw errors.readFailed(objectName, e);
        }
    }

    /** @throws StoreAccessDeniedException at once on a read-only remote */
    @Override
    public void writeRecord(String slot, byte[] record) throws StoreException {
        String objectName = layout.recordName(slot);
        if (readOnly) {
            throw errors.readOnlyRefusal();
        }
        client.putObject(objectName, ArtifactSource.ofBytes(record));
    }

    @Override
    public boolean contains(ArtifactKey key) throws StoreException {
        return client.headObject(layout.objectName(key));
    }

    @Override
    public Stream<ArtifactKey> list(String crateName) throws StoreException {
        return listUnder(layout.cratePrefix(crateName));
    }

    @Override
    public Stream<ArtifactKey> listAll() throws StoreException {
        return listUnder(layout.rootPrefix());
    }

    private Stream<ArtifactKey> listUnder(String prefix) throws StoreException {
        return S3KeyListing.stream(client.listObjects(prefix), layout);
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return name + "[" + errors.location() + "]";
    }
}
