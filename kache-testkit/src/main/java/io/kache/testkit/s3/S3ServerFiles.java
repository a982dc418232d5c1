package io.kache.testkit.s3;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.blobstore.BlobStore;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * The buckets and objects of an {@link S3TestServer}'s directory, read and written without HTTP:
 * what the server serves, and what a test (or a benchmark, beside a server in another process)
 * puts there behind its back. Close it when done.
 */
public final class S3ServerFiles implements AutoCloseable {

    private final BlobStore store;

    private S3ServerFiles(BlobStore store) {
        this.store = store;
    }

    /** The files under {@code directory}, which must exist. */
    public static S3ServerFiles in(Path directory) {
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", directory.toString());
        return new S3ServerFiles(BlobStores.create("filesystem", properties));
    }

    /** Creates {@code bucket}; creating it twice is harmless. */
    public void createBucket(String bucket) {
        if (!store.containerExists(bucket)) {
            store.createContainer(bucket);
        }
    }

    /** Writes an object, as another tool sharing the bucket might. */
    public void putObject(String bucket, String key, byte[] content) {
        PutObjectRequest request = PutObjectRequest.builder()
                .bucket(bucket).key(key).contentLength((long) content.length).build();
        store.putBlob(request, new ByteArrayInputStream(content));
    }

    /** The store itself, for a server to serve. */
    BlobStore blobStore() {
        return store;
    }

    @Override
    public void close() {
        store.close();
    }
}
