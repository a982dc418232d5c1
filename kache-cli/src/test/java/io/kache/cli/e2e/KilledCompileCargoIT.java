package io.kache.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.kache.testkit.Deadline;
import io.kache.testkit.SpyRustc;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A build killed while kache records an entry leaves files in the store's {@code tmp/}. They are
 * named by the process that wrote them, so the next {@code kache gc} removes them at once instead
 * of a day later.
 */
class KilledCompileCargoIT {

    @TempDir
    Path tmp;

    @Test
    void gcRemovesAtOnceWhatACompileKilledWhileRecordingLeft() throws Exception {
        Path kache = KacheLauncher.create(Files.createDirectories(tmp.resolve("bin")));
        SpyRustc spy = SpyRustc.create(tmp.resolve("spy"));
        Path store = Files.createDirectories(tmp.resolve("store"));
        DemoWorkspace ws = DemoWorkspace.copyTo(tmp.resolve("ws"), kache, spy, store,
                Files.createDirectories(tmp.resolve("xdg")));
        Path storeTmp = store.resolve("tmp");

        List<String> left;
        // Holding the store lock as a collection would stops every compile inside the recording of
        // its entry, after its temp files are made: the moment to kill the build.
        try (FileChannel lockFile = FileChannel.open(store.resolve("store.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileLock held = lockFile.lock()) {
            ProcessBuilder pb = new ProcessBuilder("cargo", "build").directory(ws.dir.toFile())
                    .redirectOutput(tmp.resolve("cargo.out").toFile()).redirectError(tmp.resolve("cargo.err").toFile());
            pb.environment().putAll(ws.env);
            Process cargo = pb.start();
            try {
                // A recording's own temp (PID-N-RANDOM.dep), not one of the short-lived temps a memo
                // or a journal publish leaves for a moment before its rename.
                Deadline.in(Duration.ofSeconds(120)).await("a compile to wait in the recording of its entry",
                        () -> names(storeTmp).stream().anyMatch(n -> n.endsWith(".dep")));
            } finally {
                kill(cargo);
            }
            left = names(storeTmp);
        }
        assertFalse(left.isEmpty());

        CargoRun.run(ws.dir, ws.env, kache.toString(), "gc").assertOk("kache gc");
        assertEquals(List.of(), names(storeTmp), "gc removed what the killed compiles left: " + left);
    }

    /**
     * Kills every process under cargo (the wrapper JVMs) until cargo gives up and exits: cargo,
     * their parent, reaps them, so none is left a zombie that would still count as alive.
     */
    private static void kill(Process cargo) throws Exception {
        Deadline.in(Duration.ofSeconds(120)).await("cargo to give up", () -> {
            cargo.descendants().forEach(ProcessHandle::destroyForcibly);
            return !cargo.isAlive();
        });
    }

    private static List<String> names(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
