package io.kache.cli.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Runs cargo (or a built binary) in a workspace with a given environment and captures its output. */
final class CargoRun {

    record Result(int exitCode, String stdout, String stderr) {
        Result assertOk(String what) {
            if (exitCode != 0) {
                throw new AssertionError(what + " failed with exit " + exitCode + "\nstdout:\n" + stdout
                        + "\nstderr:\n" + stderr);
            }
            return this;
        }
    }

    private CargoRun() {
    }

    /** {@code cargo ARGS…} in {@code dir}, with {@code env} over the inherited environment. */
    static Result cargo(Path dir, Map<String, String> env, String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "cargo";
        System.arraycopy(args, 0, command, 1, args.length);
        return run(dir, env, command);
    }

    static Result run(Path dir, Map<String, String> env, String... command) throws IOException, InterruptedException {
        return run(dir, env, Set.of(), command);
    }

    /** As {@link #run(Path, Map, String...)}, with the variables in {@code unset} removed from the inherited environment. */
    static Result run(Path dir, Map<String, String> env, Set<String> unset, String... command)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(dir.toFile());
        pb.environment().keySet().removeAll(unset);
        pb.environment().putAll(env);
        Path out = java.nio.file.Files.createTempFile("cargo-out", ".txt");
        Path err = java.nio.file.Files.createTempFile("cargo-err", ".txt");
        try {
            // Appending, as a shell's >> would: kache's notices reach cargo's stderr through /proc/PID/fd/2,
            // which it writes only where that cannot overwrite cargo's own lines (TerminalChannel).
            pb.redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()));
            Process p = pb.start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " timed out");
            }
            return new Result(p.exitValue(), java.nio.file.Files.readString(out, StandardCharsets.UTF_8),
                    java.nio.file.Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            java.nio.file.Files.deleteIfExists(out);
            java.nio.file.Files.deleteIfExists(err);
        }
    }
}
