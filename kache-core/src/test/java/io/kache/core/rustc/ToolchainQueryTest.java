package io.kache.core.rustc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.core.store.LocalStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A question to a tool ends within its timeout, whatever the program does, and leaves nothing behind. */
class ToolchainQueryTest {

    static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin", "ASKED", "yes");
    static final Duration SHORT = Duration.ofSeconds(5);

    @TempDir
    Path temp;
    LocalStore store;
    ToolchainMemo memo;

    @BeforeEach
    void setUp() throws IOException {
        store = LocalStore.open(temp.resolve("store"), 1L << 30);
        memo = store.toolchainMemo();
    }

    @AfterEach
    void closeStore() throws IOException {
        store.close();
    }

    @Test
    void anAnswerHoldsTheExitCodeAndBothStreamsAndSeesOnlyTheEnvironmentGiven() throws IOException {
        Path program = script("answer", "printf 'out %s\\n' \"$ASKED\"; printf 'home=%s\\n' \"$HOME\" >&2; exit 3");
        ToolchainQuery.Answer answer = ToolchainQuery.ask(List.of(program.toString()), ENV, temp, SHORT, memo::newTemp);
        assertEquals(3, answer.exitCode());
        assertFalse(answer.succeeded());
        assertArrayEquals("out yes\n".getBytes(StandardCharsets.UTF_8), answer.stdout());
        assertArrayEquals("home=\n".getBytes(StandardCharsets.UTF_8), answer.stderr());
        assertNoScratchLeft();
    }

    @Test
    void aProgramThatDoesNotEndInTimeIsNoAnswer() throws IOException {
        Path program = script("hangs", "echo started; exec sleep 60");
        long start = System.nanoTime();
        IOException e = assertThrows(IOException.class, () -> ToolchainQuery.ask(List.of(program.toString()), ENV,
                temp, Duration.ofMillis(300), memo::newTemp));
        assertEquals("did not answer within 300 ms", e.getMessage());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(10)) < 0);
        assertNoScratchLeft();
    }

    @Test
    void aChildLeftHoldingTheOutputDoesNotHoldTheAnswer() throws IOException {
        // The program answers and exits at once; the child it leaves keeps its stdout and stderr open
        // for half a minute. Read through a pipe, the answer would wait for the child.
        Path program = script("daemon", "sleep 30 & echo answered");
        long start = System.nanoTime();
        ToolchainQuery.Answer answer = ToolchainQuery.ask(List.of(program.toString()), ENV, temp,
                Duration.ofSeconds(20), memo::newTemp);
        assertTrue(answer.succeeded());
        assertEquals("answered\n", new String(answer.stdout(), StandardCharsets.UTF_8));
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(10)) < 0);
    }

    @Test
    void aProgramThatCannotBeStartedOrPrintsTooMuchIsNoAnswer() throws IOException {
        assertThrows(IOException.class, () -> ToolchainQuery.ask(List.of(temp.resolve("missing").toString()), ENV,
                temp, SHORT, memo::newTemp));
        Path flood = script("flood", "head -c 1001 /dev/zero");
        IOException e = assertThrows(IOException.class, () -> ToolchainQuery.ask(List.of(flood.toString()), ENV,
                temp, SHORT, 1000, memo::newTemp));
        assertEquals("printed more than 1000 bytes", e.getMessage());
        Path full = script("full", "head -c 1000 /dev/zero");
        assertEquals(1000, ToolchainQuery.ask(List.of(full.toString()), ENV, temp, SHORT, 1000, memo::newTemp)
                .stdout().length);
        assertNoScratchLeft();
    }

    @Test
    void aQuestionReadsNoInput() throws IOException {
        Path program = script("reads", "cat; echo done");
        ToolchainQuery.Answer answer = ToolchainQuery.ask(List.of(program.toString()), ENV, temp, SHORT, memo::newTemp);
        assertEquals("done\n", new String(answer.stdout(), StandardCharsets.UTF_8));
    }

    @Test
    void aScratchThatCannotTakeTheAnswerIsKachesFailureNotTheTools() throws IOException {
        Path banner = script("banner", "printf 'binary: rustc\\nrelease: 1.95.0\\n'");
        ToolchainQuery.Scratch nowhere = unwritable("first");
        ToolchainQuery.Scratch norThere = unwritable("second");

        ToolchainQuery.NoScratchException e = assertThrows(ToolchainQuery.NoScratchException.class,
                () -> ToolchainQuery.ask(List.of(banner.toString()), ENV, temp, SHORT, 1000, nowhere, norThere));

        assertTrue(e.getMessage().startsWith("nowhere to keep its answer: ") && e.getMessage().contains("; nor "),
                e.getMessage());
        Path silent = script("silent", "exit 1");
        assertEquals(1, ToolchainQuery.ask(List.of(silent.toString()), ENV, temp, SHORT, memo::newTemp).exitCode(),
                "a tool that fails printing nothing, with room for its answer, answered so itself");
    }

    @Test
    void aStoreScratchThatCannotTakeTheAnswerGivesWayToTheSystemTempDirectory() throws IOException {
        Path banner = script("banner", "printf 'binary: rustc\\nrelease: 1.95.0\\n'");
        ToolchainQuery.Answer answer = ToolchainQuery.ask(List.of(banner.toString()), ENV, temp, SHORT,
                unwritable("store-tmp"));
        assertEquals("binary: rustc\nrelease: 1.95.0\n", new String(answer.stdout(), StandardCharsets.UTF_8));
    }

    /**
     * On a full disk the output files are created (a tmpfs has inodes left) and the tool's writes
     * fail: rustc then exits 1 having printed nothing. That is no answer of the tool's. A 1 MB tmpfs,
     * as root; skipped where mounting is not permitted.
     */
    @Test
    void aToolWhoseAnswerWentToAFullDiskIsNotTakenAtItsWord() throws Exception {
        Path disk = Files.createDirectories(temp.resolve("full"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", disk.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Assumptions.assumeTrue(mount.waitFor() == 0, "a 1 MB tmpfs cannot be mounted here");
        try {
            fill(disk);
            Path banner = script("banner", "printf 'binary: rustc\\nrelease: 1.95.0\\n'");
            ToolchainQuery.Scratch full = purpose -> disk.resolve(purpose + "-" + System.nanoTime());

            assertThrows(ToolchainQuery.NoScratchException.class,
                    () -> ToolchainQuery.ask(List.of(banner.toString()), ENV, temp, SHORT, 1000, full, full));
            assertEquals("binary: rustc\nrelease: 1.95.0\n", new String(ToolchainQuery.ask(List.of(banner.toString()),
                    ENV, temp, SHORT, full).stdout(), StandardCharsets.UTF_8), "asked again in the system's temp directory");
        } finally {
            new ProcessBuilder("umount", "-l", disk.toString()).start().waitFor();
        }
    }

    private static void fill(Path disk) throws IOException {
        try (java.nio.channels.FileChannel out = java.nio.channels.FileChannel.open(disk.resolve("fill"),
                java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer chunk = java.nio.ByteBuffer.allocate(4096);
            while (true) {
                chunk.clear();
                out.write(chunk);
            }
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left")) {
                throw e;
            }
        }
    }

    /** A scratch under a regular file: nothing can be created there, whoever runs the test (root ignores permissions). */
    private ToolchainQuery.Scratch unwritable(String name) throws IOException {
        Path file = Files.writeString(temp.resolve(name), "not a directory");
        return purpose -> file.resolve(purpose);
    }

    private Path script(String name, String body) throws IOException {
        Path file = temp.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    private void assertNoScratchLeft() throws IOException {
        Path probe = memo.newTemp("probe");
        try (Stream<Path> left = Files.list(probe.getParent())) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().contains("query")).toList());
        }
    }
}
