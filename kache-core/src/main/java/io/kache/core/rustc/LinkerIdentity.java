package io.kache.core.rustc;

import io.kache.core.hash.FileHasher;
import java.io.IOException;
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
        Optional<Path> found = Executables.find(name, env, cwd);
        if (found.isEmpty()) {
            return "unresolved:" + name;
        }
        Path real = found.get().toRealPath();
        return real.getFileName() + ":" + hasher.sha256(real);
    }
}
