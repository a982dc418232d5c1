package io.kache.cli;

import io.kache.core.Invocation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One in-process run of the CLI, as {@code Main} would run it, with what it printed. */
record CliRun(int exit, String out, String err) {

    static CliRun of(Map<String, String> env, Path cwd, String... args) {
        return started(Optional.empty(), env, cwd, args);
    }

    /** A run as {@code launcher} (the kache script) would start it. */
    static CliRun started(Optional<Path> launcher, Map<String, String> env, Path cwd, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = KacheCli.run(new Invocation(List.of(args), env, cwd, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)),
                launcher);
        return new CliRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Both streams, for assertions about what a user sees. */
    String all() {
        return out + err;
    }

    @Override
    public String toString() {
        return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
