package io.kache.core.remote.s3.backend;

import io.kache.api.ArtifactSource;
import io.kache.api.StoreException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * The few S3 calls kache makes on one bucket, over one client library: the whole of what a
 * backend module adapts. Every method maps its client's failures to {@link StoreException}s
 * (through {@link S3ErrorMapper}) and retries as its client does; {@link S3ArtifactStore} adds
 * object naming, read-only refusal and listing.
 */
public interface BucketClient extends Closeable {

    /** GetObject; empty on a missing key (see {@link S3ErrorResponse#isMissingKey()}). */
    Optional<Download> getObject(String name) throws StoreException;

    /** HeadObject: whether the object exists; {@code false} on a missing key. */
    boolean headObject(String name) throws StoreException;

    /** PutObject, or its multipart form for a large source. The object appears whole or not at all. */
    void putObject(String name, ArtifactSource source) throws StoreException;

    /**
     * ListObjectsV2 under {@code prefix}, page by page as the names are consumed. May fetch the
     * first page at once.
     */
    S3KeyListing.ObjectNames listObjects(String prefix) throws StoreException;

    /** DeleteObject; S3 answers success for a missing key too. Only {@code kache doctor} deletes (its probe). */
    void deleteObject(String name) throws StoreException;

    /** Releases the client's connections; never fails. */
    @Override
    void close();

    /** The body of a found object, read once. */
    interface Download extends Closeable {

        InputStream body();

        /** The announced length in bytes, or {@code -1} if unknown. */
        long length();

        /**
         * Whether a runtime exception thrown while the body was read is the client's transport
         * failure, to report as an unavailable store; any other propagates unchanged.
         */
        boolean isTransportFailure(RuntimeException e);

        /**
         * Called when reading did not finish, before {@link #close()}: drop the connection rather than
         * drain the object.
         */
        void abandon();

        @Override
        void close() throws IOException;
    }
}
