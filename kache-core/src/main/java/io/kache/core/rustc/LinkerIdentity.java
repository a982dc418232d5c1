package io.kache.core.rustc;

import io.kache.core.hash.FileHasher;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The identity of the linker a linking call will use: {@code -C linker} or the platform default
 * {@code cc}, found on the call's {@code PATH}, by the content hash of the real binary.
 */
public final class LinkerIdentity {

    private LinkerIdentity() {
    }

    public static String of(Optional<String> linker, Map<String, String> env, Path cwd, FileHasher hasher)
            throws IOException {
        String name = linker.orElse("cc");
        Optional<Path> found = resolve(name, env, cwd);
        if (found.isEmpty()) {
            return "unresolved:" + name;
        }
        Path real = found.get().toRealPath();
        return real.getFileName() + ":" + hasher.sha256(real);
    }

    private static Optional<Path> resolve(String name, Map<String, String> env, Path cwd) {
        if (name.contains("/")) {
            Path p = cwd.resolve(name);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p) && !Files.isDirectory(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
