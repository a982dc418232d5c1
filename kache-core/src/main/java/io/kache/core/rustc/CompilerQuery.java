package io.kache.core.rustc;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Asks a compiler something on its own, outside any call's streams ({@code -vV}, {@code --version},
 * {@code --print sysroot}, cargo's target-info probe) and waits a bounded time for the answer. The
 * one home of that: whoever asks gets the same guarantees.
 *
 * <p>Its stdout and stderr go to files, not pipes. A pipe is read until its last writer closes it,
 * and a program that never exits, or leaves a child holding its output (a shim that starts a
 * daemon), would hold the reader past any timeout; a file is read once the process has ended. Its
 * stdin is {@code /dev/null}: a question must not wait for input. Its environment is exactly the
 * one given.
 */
public final class CompilerQuery {

    /** More output than this is no answer to a question: the query is treated as failed. */
    static final int MAX_OUTPUT_BYTES = 1 << 20;

    private CompilerQuery() {
    }

    /** What a compiler answered: its exit code and what it printed. */
    public record Answer(int exitCode, byte[] stdout, byte[] stderr) {

        public boolean succeeded() {
            return exitCode == 0;
        }
    }

    /**
     * Runs {@code command} with exactly {@code env} in {@code cwd}, waiting at most {@code timeout}.
     *
     * @param scratch where the two output files live while the query runs (deleted before returning)
     * @return its answer; empty when it could not be started, had not ended within {@code timeout}
     *     (it is killed then), printed more than {@link #MAX_OUTPUT_BYTES} on either stream, or the
     *     waiting thread was interrupted (its interrupt status is kept)
     */
    public static Optional<Answer> ask(List<String> command, Map<String, String> env, Path cwd, Duration timeout,
                                       ToolchainMemo scratch) {
        Path out = null;
        Path err = null;
        try {
            out = scratch.newTemp("query-out");
            err = scratch.newTemp("query-err");
            ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().clear();
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            Optional<byte[]> stdout = readBounded(out);
            Optional<byte[]> stderr = readBounded(err);
            if (stdout.isEmpty() || stderr.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Answer(p.exitValue(), stdout.get(), stderr.get()));
        } catch (IOException | RuntimeException e) {
            // Cannot be started (no such file, not executable), no scratch file, or its output cannot be
            // read back.
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static Optional<byte[]> readBounded(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_OUTPUT_BYTES + 1);
            return bytes.length > MAX_OUTPUT_BYTES ? Optional.empty() : Optional.of(bytes);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A leftover temp file is collected with the memo's others.
        }
    }
}
