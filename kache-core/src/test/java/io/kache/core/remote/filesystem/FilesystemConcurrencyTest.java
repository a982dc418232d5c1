package io.kache.core.remote.filesystem;

import static io.kache.core.remote.filesystem.Entries.content;
import static io.kache.core.remote.filesystem.Entries.key;
import static io.kache.core.remote.filesystem.Entries.load;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactSource;
import io.kache.api.ArtifactStore;
import io.kache.api.RemoteSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several writers of the same keys, in threads and in separate JVMs: every reader sees a whole entry or none. */
class FilesystemConcurrencyTest {

    private static final int KEYS = 24;
    private static final int SIZE = 256 * 1024;

    @TempDir
    Path root;

    @Test
    void concurrentStoresOfSameKeysConvergeAndReadersNeverSeePartialEntries() throws Exception {
        ArtifactStore store = new FilesystemStoreProvider().open(RemoteSettings.filesystem(root));
        int writers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(writers + 2);
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean writing = new AtomicBoolean(true);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int offset = w * 5;
                writes.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < KEYS; i++) {
                        ArtifactKey k = key("shared_crate", (i + offset) % KEYS);
                        store.store(k, ArtifactSource.ofBytes(content(k, SIZE)));
                    }
                    return null;
                }));
            }
            List<Future<Integer>> reads = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                reads.add(pool.submit(() -> {
                    start.await();
                    int hits = 0;
                    while (writing.get()) {
                        for (int i = 0; i < KEYS; i++) {
                            ArtifactKey k = key("shared_crate", i);
                            Optional<byte[]> got = load(store, k);
                            if (got.isPresent()) {
                                assertArrayEquals(content(k, SIZE), got.get(), "partial or foreign entry " + k);
                                hits++;
                            }
                        }
                    }
                    return hits;
                }));
            }
            start.countDown();
            for (Future<?> f : writes) {
                f.get(60, TimeUnit.SECONDS);
            }
            writing.set(false);
            for (Future<Integer> f : reads) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            writing.set(false);
            pool.shutdownNow();
        }
        assertAllEntriesWholeAndNoTempFiles(store);
    }

    @Test
    void concurrentWritersInSeparateProcessesConverge() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<Process> processes = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            processes.add(new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                    FilesystemWriterProcess.class.getName(), root.toString(), Integer.toString(KEYS),
                    Integer.toString(SIZE / 4), Integer.toString(p * 7))
                    .redirectErrorStream(true)
                    .redirectOutput(root.resolveSibling(root.getFileName() + "-writer" + p + ".log").toFile())
                    .start());
        }
        for (Process p : processes) {
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "writer process did not finish");
            assertEquals(0, p.exitValue(), "a writer process saw a missing or partial entry");
        }
        try (ArtifactStore store = new FilesystemStoreProvider().open(RemoteSettings.filesystem(root))) {
            for (int i = 0; i < KEYS; i++) {
                ArtifactKey k = key("shared_crate", i);
                assertArrayEquals(content(k, SIZE / 4), load(store, k).orElseThrow());
            }
            try (Stream<Path> files = Files.walk(root)) {
                assertEquals(List.of(), files.filter(f -> f.toString().endsWith(".tmp")).toList());
            }
        }
    }

    private void assertAllEntriesWholeAndNoTempFiles(ArtifactStore store) throws Exception {
        for (int i = 0; i < KEYS; i++) {
            ArtifactKey k = key("shared_crate", i);
            assertArrayEquals(content(k, SIZE), load(store, k).orElseThrow());
        }
        try (Stream<ArtifactKey> keys = store.list("shared_crate")) {
            assertEquals(KEYS, keys.count());
        }
        try (Stream<Path> files = Files.walk(root)) {
            assertEquals(List.of(), files.filter(f -> f.toString().endsWith(".tmp")).toList(), "temp files left behind");
        }
    }
}
