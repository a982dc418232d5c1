package io.kache.cli.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One finished run of a command: exit code, stdout and stderr. Output goes to files rather than
 * pipes so a chatty process can never block on a full pipe while the test waits for it.
 */
record ScriptRun(int exit, String out, String err) {

    private static final long DEADLINE_SECONDS = 60;

    /**
     * Runs {@code command} in {@code cwd} with exactly {@code env}, stdin empty.
     *
     * @param scratch a directory for the captured output
     */
    static ScriptRun run(List<String> command, Path cwd, Map<String, String> env, Path scratch)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile(scratch, "out-", ".txt");
        Path err = Files.createTempFile(scratch, "err-", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process process = pb.start();
        if (!process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " still running after " + DEADLINE_SECONDS + " s");
        }
        return new ScriptRun(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
