package io.kache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.core.Invocation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the kache server runs of kache's commands ({@link ServedCommands}): sync, as the CLI runs it, and nothing else. */
class ServedCommandsTest {

    @TempDir
    Path temp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private OptionalInt run(String... args) {
        Invocation inv = new Invocation(List.of(args), Map.of("HOME", temp.toString()), temp,
                new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new ServedCommands(Optional.empty()).run(inv);
    }

    @Test
    void syncRunsAsTheCommandLineRunsItWithTheCallsStreamsAndExitCode() {
        assertEquals(OptionalInt.of(0), run("sync", "--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Usage: kache sync "), out.toString());

        assertEquals(OptionalInt.of(2), run("sync", "--no-such-option"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--no-such-option"), err.toString());
    }

    @Test
    void anyOtherCommandOrACompilerCallIsNotServedAndRunsNothing() {
        assertEquals(OptionalInt.empty(), run("stats"));
        assertEquals(OptionalInt.empty(), run("/usr/bin/rustc", "-vV"));
        assertEquals(OptionalInt.empty(), run());
        assertEquals("", out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8));
        assertTrue(Main.COMMANDS.containsAll(ServedCommands.SERVED), "the server serves only kache's commands");
    }
}
