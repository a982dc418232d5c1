package io.kache.api;

import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * An {@link ArtifactStore} that hands every call to another store. It exists for decorators that
 * change one or two methods and keep the rest: a read-only view that refuses writes, a test double
 * that fails, counts or holds one method. A subclass overrides only what it changes; everything
 * else, including {@link #readRecord}, {@link #writeRecord}, {@link #close} and {@link #toString},
 * reaches the delegate with its arguments, and the delegate's result or exception comes back
 * unchanged.
 *
 * <p>The default methods are forwarded too, not inherited: a decorator of a store that keeps build
 * records must not quietly answer "no record" or refuse to write one.
 */
public abstract class ForwardingArtifactStore implements ArtifactStore {

    private final ArtifactStore delegate;

    protected ForwardingArtifactStore(ArtifactStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The store every call not overridden goes to. */
    protected final ArtifactStore delegate() {
        return delegate;
    }

    @Override
    public boolean load(ArtifactKey key, EntryReader reader) throws StoreException {
        return delegate.load(key, reader);
    }

    @Override
    public void store(ArtifactKey key, ArtifactSource source) throws StoreException {
        delegate.store(key, source);
    }

    @Override
    public boolean contains(ArtifactKey key) throws StoreException {
        return delegate.contains(key);
    }

    @Override
    public Stream<ArtifactKey> list(String crateName) throws StoreException {
        return delegate.list(crateName);
    }

    @Override
    public Stream<ArtifactKey> listAll() throws StoreException {
        return delegate.listAll();
    }

    @Override
    public Optional<byte[]> readRecord(String slot, int maxBytes) throws StoreException {
        return delegate.readRecord(slot, maxBytes);
    }

    @Override
    public void writeRecord(String slot, byte[] record) throws StoreException {
        delegate.writeRecord(slot, record);
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
