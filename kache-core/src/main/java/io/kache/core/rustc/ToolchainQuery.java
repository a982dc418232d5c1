package io.kache.core.rustc;

import io.kache.core.CallerEnvironment;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Asks a tool of the toolchain something on its own, outside any call's streams (a compiler's
 * {@code -vV}, {@code --version} or {@code --print sysroot}, cargo's target-info probe,
 * {@code cargo metadata}) and waits a bounded time for the answer. The one home of that: whoever
 * asks gets the same guarantees.
 *
 * <p>Its stdout and stderr go to files, not pipes. A pipe is read until its last writer closes it,
 * and a program that never exits, or leaves a child holding its output (a shim that starts a
 * daemon), would hold the reader past any timeout; a file is read once the process has ended. Its
 * stdin is {@code /dev/null}: a question must not wait for input. Its environment is exactly the
 * one given.
 */
public final class ToolchainQuery {

    /** More output than this is no answer to a short question ({@code -vV}, a probe). */
    public static final int SHORT_ANSWER_BYTES = 1 << 20;

    private ToolchainQuery() {
    }

    /** Where a query's two output files live while it runs: a fresh path per call, private to this process. */
    @FunctionalInterface
    public interface Scratch {
        Path newTemp(String purpose) throws IOException;
    }

    /** What a tool answered: its exit code and what it printed. */
    public record Answer(int exitCode, byte[] stdout, byte[] stderr) {

        public boolean succeeded() {
            return exitCode == 0;
        }
    }

    /** Files in the system's temp directory ({@code java.io.tmpdir}), private to this user: where a query goes when its scratch is full. */
    static final Scratch SYSTEM_TEMP = purpose -> Files.createTempFile("kache-", "." + purpose);

    /**
     * Room a failed or empty answer's scratch must still have for the failure to be the tool's:
     * more than any short answer ({@code -vV} is a few hundred bytes) and a page of any file system.
     */
    static final int ROOM_BYTES = 64 * 1024;

    /**
     * kache's own failure to ask, which says nothing about the tool: its answer had nowhere to go.
     * The output files could not be created, or a tool that failed or printed nothing left them
     * unable to take {@link #ROOM_BYTES} more (a full disk: the tool's writes failed, not the tool).
     */
    public static final class NoScratchException extends IOException {
        private static final long serialVersionUID = 1L;

        private final String where;

        NoScratchException(String where, Throwable cause) {
            super("nowhere to keep its answer: " + where, cause);
            this.where = where;
        }

        /** Neither {@code first}'s scratch nor {@code then}'s could take the answer. */
        NoScratchException(NoScratchException first, NoScratchException then) {
            this(first.where + "; nor " + then.where, then);
            addSuppressed(first);
        }
    }

    /** {@link #ask(List, Map, Path, Duration, int, Scratch)} of a short answer. */
    public static Answer ask(List<String> command, Map<String, String> env, Path cwd, Duration timeout,
                             Scratch scratch) throws IOException {
        return ask(command, env, cwd, timeout, SHORT_ANSWER_BYTES, scratch);
    }

    /**
     * Runs {@code command} with exactly {@code env} in {@code cwd}, waiting at most {@code timeout}.
     * Its output files are deleted before this returns.
     *
     * <p>When {@code scratch} cannot take the answer (a full or unwritable store), the tool is asked
     * again with its files in the system's temp directory: a store whose disk is full may still hold
     * the entries a build hits, and knowing the compiler is the first step to serving them.
     *
     * @param maxOutputBytes more than this on either stream is no answer
     * @throws NoScratchException if neither {@code scratch} nor the system's temp directory could
     *     take the answer: kache's failure, not the tool's answer
     * @throws IOException saying why there is no answer: it could not be started, had not ended
     *     within {@code timeout} (it is killed then), printed too much, or the waiting thread was
     *     interrupted (its interrupt status is kept)
     */
    public static Answer ask(List<String> command, Map<String, String> env, Path cwd, Duration timeout,
                             int maxOutputBytes, Scratch scratch) throws IOException {
        return ask(command, env, cwd, timeout, maxOutputBytes, scratch, SYSTEM_TEMP);
    }

    /** {@link #ask(List, Map, Path, Duration, int, Scratch)} with the scratch tried when {@code scratch} cannot take the answer. */
    static Answer ask(List<String> command, Map<String, String> env, Path cwd, Duration timeout,
                      int maxOutputBytes, Scratch scratch, Scratch fallback) throws IOException {
        try {
            return askWith(command, env, cwd, timeout, maxOutputBytes, scratch);
        } catch (NoScratchException e) {
            try {
                return askWith(command, env, cwd, timeout, maxOutputBytes, fallback);
            } catch (NoScratchException again) {
                throw new NoScratchException(e, again);
            }
        }
    }

    private static Answer askWith(List<String> command, Map<String, String> env, Path cwd, Duration timeout,
                                  int maxOutputBytes, Scratch scratch) throws IOException {
        Path out = null;
        Path err = null;
        try {
            try {
                out = emptyFile(scratch.newTemp("query-out"));
                err = emptyFile(scratch.newTemp("query-err"));
            } catch (IOException | RuntimeException e) {
                throw new NoScratchException(String.valueOf(e.getMessage()), e);
            }
            ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            CallerEnvironment.applyTo(pb.environment(), env);
            Process p = pb.start();
            try {
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    throw new IOException("did not answer within " + seconds(timeout));
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the answer", e);
            }
            Answer answer = new Answer(p.exitValue(), readBounded(out, maxOutputBytes), readBounded(err, maxOutputBytes));
            if (!answer.succeeded() || answer.stdout().length == 0) {
                checkRoom(out);
            }
            return answer;
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** Creates {@code file} empty, or empties it (a system temp file exists already). */
    private static Path emptyFile(Path file) throws IOException {
        Files.newByteChannel(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING).close();
        return file;
    }

    /**
     * A tool whose output went to a full disk fails, or prints nothing (rustc exits 1 when it
     * cannot write its banner): that is no answer of the tool's when its output file cannot take
     * {@link #ROOM_BYTES} now.
     */
    private static void checkRoom(Path out) throws NoScratchException {
        try (FileChannel channel = FileChannel.open(out, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer room = ByteBuffer.allocate(ROOM_BYTES);
            while (room.hasRemaining()) {
                channel.write(room);
            }
        } catch (IOException e) {
            throw new NoScratchException(out.getParent() + ": " + e.getMessage(), e);
        }
    }

    private static String seconds(Duration timeout) {
        return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
    }

    private static byte[] readBounded(Path file, int maxBytes) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new IOException("printed more than " + maxBytes + " bytes");
            }
            return bytes;
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A leftover temp file is collected with the scratch directory's others.
        }
    }
}
