package io.kache.core.rustc;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs the machine's real rustc, for tests that check a model against the compiler itself. */
final class RealRustc {

    private RealRustc() {
    }

    /** The rustc on the test's PATH; the calling test is skipped when there is none. */
    static Path require() {
        Optional<Path> found = find();
        assumeTrue(found.isPresent(), "no rustc on PATH");
        return found.get();
    }

    private static Optional<Path> find() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "rustc"))) {
                return Optional.of(Path.of(dir, "rustc"));
            }
        }
        return Optional.empty();
    }

    /** Runs rustc in {@code cwd} with extra environment; fails the test with rustc's stderr on error. */
    static void run(Path cwd, Map<String, String> env, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(require().toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("rustc timed out: " + cmd);
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("rustc failed (" + p.exitValue() + "): " + cmd + "\n" + out);
        }
    }
}
