package io.kache.testkit.s3;

import io.kache.api.ArtifactStore;
import io.kache.api.RemoteSettings;
import io.kache.testkit.ArtifactStoreContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link ArtifactStoreContract} for S3 backends: one {@link S3TestServer} per test class, a fresh
 * prefix in one bucket per test, and foreign objects written beside the store's entries.
 *
 * <pre>{@code
 * class MyS3StoreContractTest extends S3ArtifactStoreContract {
 *     @Override
 *     protected ArtifactStore open(RemoteSettings settings) throws Exception {
 *         return new MyS3Provider().open(settings);
 *     }
 * }
 * }</pre>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class S3ArtifactStoreContract extends ArtifactStoreContract {

    /** The bucket every test of the class shares; each test works under its own prefix. */
    protected static final String BUCKET = "kache-contract";

    private Path serverDirectory;
    private S3TestServer server;
    private final AtomicInteger stores = new AtomicInteger();
    private String prefix;

    /** Opens the backend under test for {@code settings} (endpoint, keys, bucket, fresh prefix). */
    protected abstract ArtifactStore open(RemoteSettings settings) throws Exception;

    @BeforeAll
    final void startServer() throws Exception {
        serverDirectory = Files.createTempDirectory("kache-s3-contract");
        server = S3TestServer.start(serverDirectory, "AKIDCONTRACT", "contract-secret");
        server.createBucket(BUCKET);
    }

    @AfterAll
    final void stopServer() throws IOException {
        if (server != null) {
            server.close();
        }
        if (serverDirectory != null) {
            try (Stream<Path> files = Files.walk(serverDirectory)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** The server of this test class. */
    protected final S3TestServer server() {
        return server;
    }

    @Override
    protected final ArtifactStore newStore() throws Exception {
        prefix = "contract-" + stores.incrementAndGet();
        return open(server.remoteSettings(BUCKET, prefix));
    }

    @Override
    protected final void putForeignObject(ArtifactStore store, String nameUnderPrefix, byte[] content) {
        server.putObject(BUCKET, prefix + "/" + nameUnderPrefix, content);
    }
}
