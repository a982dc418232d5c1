package io.kache.core.rustc;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /** {@link #ask(List, Map, Path, Duration, int, Scratch)} of a short answer. */
    public static Answer ask(List<String> command, Map<String, String> env, Path cwd, Duration timeout,
                             Scratch scratch) throws IOException {
        return ask(command, env, cwd, timeout, SHORT_ANSWER_BYTES, scratch);
    }

    /**
     * Runs {@code command} with exactly {@code env} in {@code cwd}, waiting at most {@code timeout}.
     * Its output files are deleted before this returns.
     *
     * @param maxOutputBytes more than this on either stream is no answer
     * @throws IOException saying why there is no answer: it could not be started, had not ended
     *     within {@code timeout} (it is killed then), printed too much, or the waiting thread was
     *     interrupted (its interrupt status is kept)
     */
    public static Answer ask(List<String> command, Map<String, String> env, Path cwd, Duration timeout,
                             int maxOutputBytes, Scratch scratch) throws IOException {
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
            return new Answer(p.exitValue(), readBounded(out, maxOutputBytes), readBounded(err, maxOutputBytes));
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
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
