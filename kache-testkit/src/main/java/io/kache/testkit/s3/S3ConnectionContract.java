package io.kache.testkit.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactSource;
import io.kache.api.ArtifactStore;
import io.kache.api.ArtifactStoreProvider;
import io.kache.api.RemoteSettings;
import io.kache.testkit.TestKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an S3 provider does with its connections, seen from a real {@link S3TestServer} and a
 * {@link FaultProxy} in front of it: transfers run {@code s3_concurrency} at once, all of them must
 * reach the server together, and each round of them must find the connections the last one left,
 * not open new ones.
 *
 * <pre>{@code
 * class MyS3ConnectionTest extends S3ConnectionContract {
 *     protected ArtifactStoreProvider provider() { return new MyS3Provider(); }
 * }
 * }</pre>
 */
public abstract class S3ConnectionContract {

    /** kache's default {@code s3_concurrency}. */
    private static final int PARALLEL = 16;
    private static final int ROUNDS = 4;
    private static final String BUCKET = "connections";

    @TempDir
    Path dir;

    private S3TestServer server;
    private RemoteSettings settings;
    private final List<ArtifactKey> keys = new ArrayList<>();
    private ExecutorService pool;

    /** The provider under test; its {@code open} is what users call. */
    protected abstract ArtifactStoreProvider provider();

    /** A server with {@value #PARALLEL} objects to load, and a thread for each. */
    @BeforeEach
    final void startServer() throws Exception {
        server = S3TestServer.start(dir, "AKIDCONNECTIONS", "connections-secret");
        server.createBucket(BUCKET);
        settings = server.remoteSettings(BUCKET, "artifacts");
        for (int i = 0; i < PARALLEL; i++) {
            ArtifactKey key = TestKeys.key("crate_" + i, i);
            server.putObject(BUCKET, settings.layout().objectName(key), content(key));
            keys.add(key);
        }
        pool = Executors.newFixedThreadPool(PARALLEL);
    }

    @AfterEach
    final void stopServer() {
        pool.shutdownNow();
        server.close();
    }

    @Test
    void roundsOfParallelLoadsReuseTheConnectionsOfTheFirst() throws Exception {
        try (FaultProxy relay = FaultProxy.start(server.endpoint());
             ArtifactStore store = provider().open(settings.withEndpoint(relay.endpoint()))) {
            for (int round = 0; round < ROUNDS; round++) {
                // All of a round's responses are open at once, as in a sync's steady state.
                CyclicBarrier allOpen = new CyclicBarrier(PARALLEL);
                List<Future<byte[]>> loads = new ArrayList<>();
                for (ArtifactKey key : keys) {
                    loads.add(pool.submit(() -> {
                        byte[][] read = new byte[1][];
                        assertTrue(store.load(key, (in, size) -> {
                            await(allOpen);
                            read[0] = in.readAllBytes();
                        }), key.toString());
                        return read[0];
                    }));
                }
                for (int i = 0; i < keys.size(); i++) {
                    assertArrayEquals(content(keys.get(i)), loads.get(i).get());
                }
            }
            // A client keeping five idle connections, as HTTP clients do by default, opens eleven
            // more in each later round.
            assertTrue(relay.connections() <= PARALLEL + 2, ROUNDS + " rounds of " + PARALLEL
                    + " parallel loads opened " + relay.connections() + " connections");
        }
    }

    @Test
    void parallelLoadsAndStoresReachTheServerTogether() throws Exception {
        try (ArtifactStore store = provider().open(settings)) {
            // A client that sends fewer at once leaves the server waiting for the rest, in vain.
            server.holdRequestsUntil(PARALLEL);
            List<Future<?>> loads = new ArrayList<>();
            for (ArtifactKey key : keys) {
                loads.add(pool.submit(() -> store.load(key, (in, size) -> in.readAllBytes())));
            }
            for (Future<?> f : loads) {
                f.get();
            }
            assertEquals(PARALLEL, server.mostRequestsHeldAtOnce(), "loads in flight at once");
            server.holdRequestsUntil(PARALLEL);
            List<Future<?>> stores = new ArrayList<>();
            for (int i = 0; i < PARALLEL; i++) {
                ArtifactKey key = TestKeys.key("stored_" + i, i);
                stores.add(pool.submit(() -> {
                    store.store(key, ArtifactSource.ofBytes(content(key)));
                    return null;
                }));
            }
            for (Future<?> f : stores) {
                f.get();
            }
            assertEquals(PARALLEL, server.mostRequestsHeldAtOnce(), "stores in flight at once");
        }
    }

    private static void await(CyclicBarrier barrier) throws IOException {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
            throw new IOException("the round's loads did not all start: " + e, e);
        }
    }

    private static byte[] content(ArtifactKey key) {
        return ("the entry " + key + "\n").repeat(64).getBytes(StandardCharsets.UTF_8);
    }
}
