package io.kache.api;

import java.io.Closeable;
import java.util.stream.Stream;

/**
 * A place where packed cache entries ({@code .tar.zst} objects) are kept: a bucket, a shared
 * directory, memory. Implementations are thread-safe.
 *
 * <p>Entries are immutable: the same key always names the same bytes, so a store is free to keep
 * the first copy it received and ignore later ones.
 */
public interface ArtifactStore extends Closeable {

    /**
     * Streams the entry named by {@code key} to {@code reader}.
     *
     * @return {@code false} on a miss (the reader is not called); {@code true} once the reader
     *     returned normally
     * @throws StoreException if the store failed, or if the reader threw (wrapped as
     *     {@link StoreUnavailableException} for I/O trouble mid-stream, or passed through when the
     *     reader threw a {@link StoreException} itself)
     */
    boolean load(ArtifactKey key, EntryReader reader) throws StoreException;

    /**
     * Stores the bytes of {@code source} under {@code key}.
     *
     * <p>Atomic: a concurrent {@link #load} sees either no entry or the whole entry, never a part.
     * Idempotent: storing a key that is already present succeeds. If the call fails, nothing is
     * visible under {@code key} that was not there before. The source may be opened more than once
     * (retries, multipart).
     *
     * @throws StoreException if the entry could not be stored
     */
    void store(ArtifactKey key, ArtifactSource source) throws StoreException;

    /**
     * Whether an entry exists under {@code key}. A cheap check (HEAD, stat), never a download.
     *
     * @throws StoreException if the store could not be asked
     */
    boolean contains(ArtifactKey key) throws StoreException;

    /**
     * The keys of one crate, exactly: {@code serde} never lists {@code serde_json}. May be
     * paged lazily; close the stream when done. Objects whose names are not valid entry names are
     * skipped.
     *
     * @throws StoreException if listing could not start; a failure while paging is thrown from the
     *     stream as {@link java.io.UncheckedIOException} wrapping a {@link StoreException}
     */
    Stream<ArtifactKey> list(String crateName) throws StoreException;

    /**
     * The keys of every crate, with the same paging and error rules as {@link #list}.
     */
    Stream<ArtifactKey> listAll() throws StoreException;

    /**
     * Reads the build record in {@code slot} ({@link ArtifactLayout#recordName}): a small object
     * that says which entries a build used. Stores without records answer empty.
     *
     * @param maxBytes a record larger than this is refused
     * @return the record's bytes, or empty when there is none
     * @throws CorruptedEntryException if the record is larger than {@code maxBytes}
     * @throws StoreException if the store failed or refused
     */
    default java.util.Optional<byte[]> readRecord(String slot, int maxBytes) throws StoreException {
        return java.util.Optional.empty();
    }

    /**
     * Writes (replaces) the build record in {@code slot}: readers see the old record or the new
     * one whole. Stores without records refuse.
     *
     * @throws StoreException if the store failed or refused (a read-only remote always refuses)
     */
    default void writeRecord(String slot, byte[] record) throws StoreException {
        throw new StoreMisconfiguredException(this + " keeps no build records");
    }

    /** Releases clients, pools and threads. Idempotent. */
    @Override
    void close();
}
