package io.kache.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.core.entry.EntryFile;
import io.kache.core.entry.EntryManifest;
import io.kache.core.hash.Sha256;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real JVM processes sharing one store, as parallel rustc wrappers do. */
class MultiProcessStoreTest {

    @TempDir
    Path tmp;

    Path root() {
        return tmp.resolve("store");
    }

    Process spawn(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                StoreWorker.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    static String awaitLine(Process p, String prefix) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = r.readLine()) != null) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new IOException("process ended before printing '" + prefix + "'");
    }

    /** Every visible entry is complete: manifest valid, every blob present with the right content. */
    static void assertConsistent(LocalStore store) throws IOException {
        for (EntryInfo info : store.list(Optional.empty())) {
            EntryManifest m = store.lookup(info.key()).orElseThrow();
            for (EntryFile f : m.files()) {
                Path blob = store.blobPath(f.sha256());
                assertTrue(Files.exists(blob), "blob of " + f.name() + " in " + info.key());
                assertEquals(f.sha256(), Sha256.of(blob), "content of " + f.name() + " in " + info.key());
            }
        }
    }

    @Test
    void concurrentProcessesStoreAndRestoreWithoutCorruptionOrLoss() {
        assertTimeoutPreemptively(Duration.ofMinutes(4), () -> {
            int workers = 4;
            int iterations = 12;
            List<Process> ps = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                ps.add(spawn("stress", root().toString(), tmp.resolve("work").toString(), "w" + i,
                        String.valueOf(iterations), "3"));
            }
            for (Process p : ps) {
                assertEquals("done " + iterations, awaitLine(p, "done"));
                assertEquals(0, p.waitFor(), "worker exit code");
            }
            try (LocalStore store = LocalStore.open(root(), 1L << 40)) {
                assertConsistent(store);
                List<ArtifactKey> keys = store.list(Optional.empty()).stream().map(EntryInfo::key).toList();
                // Every own key a worker stored is still there: none was lost to a concurrent writer.
                for (int i = 0; i < workers; i++) {
                    String crate = "own_w" + i;
                    long own = keys.stream().filter(k -> k.crateName().equals(crate)).count();
                    assertEquals(own, store.list(Optional.of(crate)).size());
                }
                assertTrue(keys.stream().anyMatch(k -> k.crateName().startsWith("shared")));
                assertEquals(List.of(), tempFiles(store));
            }
        });
    }

    @Test
    void processKilledWhileStoringLeavesNoVisibleEntry() {
        assertTimeoutPreemptively(Duration.ofMinutes(2), () -> {
            Path fifo = tmp.resolve("fifo");
            assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
            Process p = spawn("put-from", root().toString(), fifo.toString());
            awaitLine(p, "putting");
            try (OutputStream w = Files.newOutputStream(fifo)) {
                // The worker is now copying this output into a blob, and blocks for more.
                w.write(new byte[1 << 20]);
                w.flush();
                try (LocalStore store = LocalStore.open(root(), 1L << 40)) {
                    pollUntil(() -> !tempFiles(store).isEmpty(), "the worker to stage a blob");
                }
                p.destroyForcibly();
                p.waitFor();
            } catch (IOException brokenPipe) {
                // The killed reader closed the FIFO under us.
            }
            try (LocalStore store = LocalStore.open(root(), 1L << 40)) {
                assertFalse(store.contains(StoreFixtures.key("fifo", "1")));
                assertTrue(store.list(Optional.empty()).isEmpty());
                assertFalse(tempFiles(store).isEmpty(), "the killed writer left a temp file");
                GcResult r = store.gc(Optional.empty());
                assertTrue(r.tempFilesRemoved() >= 1);
                assertEquals(List.of(), tempFiles(store), "gc cleaned what the killed writer left");
            }
        });
    }

    @Test
    void killNineAtRandomPointsKeepsTheStoreConsistent() {
        assertTimeoutPreemptively(Duration.ofMinutes(3), () -> {
            for (int round = 0; round < 3; round++) {
                Process p = spawn("put-forever", root().toString(), tmp.resolve("forever" + round).toString());
                awaitLine(p, "stored " + (2 + round));
                p.destroyForcibly();
                p.waitFor();
            }
            try (LocalStore store = LocalStore.open(root(), 1L << 40)) {
                assertConsistent(store);
                assertTrue(store.list(Optional.empty()).size() >= 3);
                store.gc(Optional.empty());
                assertConsistent(store);
                assertEquals(List.of(), tempFiles(store));
            }
        });
    }

    @Test
    void lockOfAKilledHolderIsTakenOver() {
        assertTimeoutPreemptively(Duration.ofMinutes(2), () -> {
            Process p = spawn("hold-lock", root().toString(), "locked_crate", "1");
            awaitLine(p, "locked");
            try (LocalStore store = LocalStore.open(root(), 1L << 40)) {
                ArtifactKey key = StoreFixtures.key("locked_crate", "1");
                org.junit.jupiter.api.Assertions.assertThrows(LockTimeoutException.class,
                        () -> store.lock(key, Duration.ofMillis(200)).close());
                p.destroyForcibly();
                p.waitFor();
                try (KeyLock lock = store.lock(key, Duration.ofSeconds(10))) {
                    assertEquals(key, lock.key());
                }
            }
        });
    }

    static List<Path> tempFiles(LocalStore store) throws IOException {
        try (Stream<Path> s = Files.list(store.layout().tmpDir())) {
            return s.toList();
        }
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    static void pollUntil(Condition c, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!c.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
        }
    }
}
