package io.kache.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.testkit.Deadline;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InvocationTest {

    /**
     * In the server a command's stderr is its client's: a terminal when the client's descriptor 2 is
     * one (`script` gives its command a pseudo-terminal), not when it is a pipe, nor when the client is gone.
     */
    @Test
    void aServedCallsStderrIsATerminalWhenTheClientsIs() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(Path.of("/dev/pts"))
                && java.nio.file.Files.isExecutable(Path.of("/usr/bin/script")), "no pseudo-terminals or no script(1)");
        Process piped = new ProcessBuilder("sleep", "30").start();
        Process console = new ProcessBuilder("/usr/bin/script", "-q", "-c", "sleep 30", "/dev/null")
                .redirectInput(ProcessBuilder.Redirect.PIPE).start();
        try {
            ProcessHandle sleeper = childOf(console.toHandle());
            assertTrue(ownedBy(sleeper.pid()).stderrIsTerminal(), "a pseudo-terminal");
            assertFalse(ownedBy(piped.pid()).stderrIsTerminal(), "a pipe");
        } finally {
            piped.destroy();
            console.toHandle().descendants().forEach(ProcessHandle::destroy);
            console.destroy();
            piped.waitFor(10, TimeUnit.SECONDS);
            console.waitFor(10, TimeUnit.SECONDS);
        }
        assertFalse(ownedBy(piped.pid()).stderrIsTerminal(), "a client that is gone");
        assertFalse(new Invocation(List.of(), Map.of(), Path.of("/"), new ByteArrayInputStream(new byte[0]),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()))
                .stderrIsTerminal(), "in its own JVM, a stream that is not System.err");
    }

    private static Invocation ownedBy(long pid) {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream());
        return new Invocation(List.of("sync"), Map.of(), Path.of("/"), new ByteArrayInputStream(new byte[0]), sink,
                sink, OptionalLong.of(pid));
    }

    private static ProcessHandle childOf(ProcessHandle parent) throws InterruptedException {
        Deadline.in(Duration.ofSeconds(10)).await("script to start sleep", () -> sleeper(parent).isPresent());
        return sleeper(parent).orElseThrow();
    }

    private static Optional<ProcessHandle> sleeper(ProcessHandle parent) {
        return parent.descendants().filter(p -> p.info().command().map(c -> c.endsWith("/sleep")).orElse(false))
                .findFirst();
    }
}
