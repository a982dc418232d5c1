package io.kache.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactSource;
import io.kache.api.StoreException;
import io.kache.testkit.StoreCapabilities.Capability;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Writes: idempotent, atomic under concurrency, and invisible when they fail. */
abstract class WriteChecks extends CheckGroup {

    private static final int WRITERS = 8;

    WriteChecks(Supplier<ContractFixture> fixture) {
        super(fixture);
    }

    @Test
    void storingTheSameKeyTwiceIsIdempotent() throws Exception {
        ArtifactKey key = TestKeys.key("serde", 0);
        GeneratedSource source = new GeneratedSource(100_000, 1);
        fixture().store().store(key, source);
        fixture().store().store(key, source);
        assertEquals(source.sha256(), fixture().loadSha256(key));
        assertEquals(Set.of(key), fixture().listed("serde"));
    }

    @Test
    void concurrentStoresOfTheSameKeyConverge() throws Exception {
        fixture().capabilities().assume(Capability.CONCURRENT_WRITERS);
        ArtifactKey key = TestKeys.key("contended", 0);
        GeneratedSource source = new GeneratedSource(256 * 1024, 2);
        CyclicBarrier start = new CyclicBarrier(WRITERS);
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            List<Future<Object>> writers = new ArrayList<>();
            for (int i = 0; i < WRITERS; i++) {
                writers.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    fixture().store().store(key, source);
                    return null;
                }));
            }
            Deadline deadline = Deadline.in(Duration.ofMinutes(1));
            for (Future<Object> writer : writers) {
                writer.get(Math.max(1, deadline.remaining().toMillis()), TimeUnit.MILLISECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(source.sha256(), fixture().loadSha256(key));
        assertEquals(Set.of(key), fixture().listed("contended"));
    }

    @Test
    void failedWriteLeavesNoEntry() throws Exception {
        ArtifactKey key = TestKeys.key("serde", 1);
        FailingSource source = new FailingSource(200_000, 70_000);
        assertThrows(StoreException.class, () -> fixture().store().store(key, source),
                "store from " + source);
        assertFalse(fixture().store().contains(key), "contains after a failed write");
        assertFalse(fixture().store().load(key, (in, size) -> { }), "load after a failed write");
        assertEquals(Set.of(), fixture().listed("serde"), "list after a failed write");
    }

    @Test
    void failedWriteDoesNotDisturbAnEarlierEntry() throws Exception {
        ArtifactKey key = TestKeys.key("serde", 2);
        byte[] good = new byte[] {1, 2, 3};
        fixture().storeBytes(key, good);
        FailingSource source = new FailingSource(200_000, 1_000);
        try {
            fixture().store().store(key, source);
        } catch (StoreException expected) {
            // A store may also skip the upload because the key is present; both keep the entry.
        }
        assertArrayEquals(good, fixture().loadBytes(key));
    }

    @Test
    void storeReadsTheSourceAgainForEachCall() throws Exception {
        ArtifactKey first = TestKeys.key("serde", 3);
        ArtifactKey second = TestKeys.key("serde", 4);
        ArtifactSource source = ArtifactSource.ofBytes(new byte[] {4, 5, 6});
        fixture().store().store(first, source);
        fixture().store().store(second, source);
        assertArrayEquals(new byte[] {4, 5, 6}, fixture().loadBytes(second));
    }
}
