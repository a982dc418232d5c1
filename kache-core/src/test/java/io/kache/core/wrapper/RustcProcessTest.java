package io.kache.core.wrapper;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kache.core.Invocation;
import io.kache.testkit.Deadline;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A compile whose call is stopped (in the server: its client is gone, and its thread interrupted)
 * ends with everything it started, not only the compiler: a linker left running would go on
 * writing the outputs of a build nobody waits for. Real processes.
 */
class RustcProcessTest {

    @TempDir
    Path tmp;

    @Test
    void anInterruptedCompileKillsTheCompilerAndWhatItStarted() throws Exception {
        Path childPid = tmp.resolve("child.pid");
        // A compiler that starts a long-running child, as rustc its linker, and waits for it.
        List<String> command = List.of("sh", "-c", "sleep 300 & echo $! > '" + childPid + "'; wait");
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
        Invocation inv = new Invocation(command, Map.of("PATH", System.getenv("PATH")), tmp,
                InputStream.nullInputStream(), discard, discard);
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        Thread call = new Thread(() -> {
            try {
                RustcProcess.compile(command, inv, UnaryOperator.identity());
                ended.complete(null);
            } catch (Throwable t) {
                ended.complete(t);
            }
        }, "compile");
        call.start();
        Deadline.in(Duration.ofSeconds(30)).await("the child to start",
                () -> Files.exists(childPid) && !read(childPid).isBlank());
        ProcessHandle child = ProcessHandle.of(Long.parseLong(read(childPid).trim())).orElseThrow();

        try {
            call.interrupt();
            Throwable thrown = ended.get(30, TimeUnit.SECONDS);
            Deadline.in(Duration.ofSeconds(10)).await("the compiler's child to be gone", () -> !child.isAlive());
            assertInstanceOf(InterruptedIOException.class, thrown, "the caller learns the compile was stopped");
        } finally {
            child.destroyForcibly();
        }
    }

    /** A call stopped before its compile started (while it waited for the call key's lock) starts none. */
    @Test
    void aCallStoppedBeforeItsCompileStartsNone() throws Exception {
        Path ran = tmp.resolve("ran");
        List<String> command = List.of("sh", "-c", "touch '" + ran + "'");
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
        Invocation inv = new Invocation(command, Map.of("PATH", System.getenv("PATH")), tmp,
                InputStream.nullInputStream(), discard, discard);
        Thread.currentThread().interrupt();
        try {
            assertThrows(InterruptedIOException.class, () -> RustcProcess.compile(command, inv, UnaryOperator.identity()));
        } finally {
            Thread.interrupted();
        }
        assertFalse(Files.exists(ran), "the compiler never ran");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
