package io.kache.core.rustc;

import io.kache.core.hash.FileHasher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The identity of the linker a linking call will use: {@code -C linker} or the platform default
 * {@code cc}, found on the call's {@code PATH}, by the content hash of the real binary. A linker
 * that is a script ({@code #!}: a wrapper such as {@code exec cc "$@" $LDEXTRA}, cargo-zigbuild's,
 * Nix's cc-wrapper) may link differently by its environment, so its identity holds that too
 * ({@link Executables#scriptEnvironment}, as for a {@code RUSTC} shim). What such a script reads
 * from files, and the programs it runs, are not seen.
 */
public final class LinkerIdentity {

    private LinkerIdentity() {
    }

    /**
     * @param hasher the store's memoized hasher: the linker is read whole once per file identity
     * @param normalize the key's path sentinels, for the values of a script's environment
     */
    public static String of(Optional<String> linker, Map<String, String> env, Path cwd, FileHasher hasher,
                            UnaryOperator<String> normalize) throws IOException {
        String name = linker.orElse("cc");
        Optional<Path> found = Executables.find(name, env, cwd);
        if (found.isEmpty()) {
            return "unresolved:" + name;
        }
        Path real = found.get().toRealPath();
        String identity = real.getFileName() + ":" + hasher.sha256(real);
        if (Executables.isScript(real, ToolchainIdentity.stamp(real))) {
            return identity + "\nscript environment\n" + Executables.scriptEnvironment(env, normalize);
        }
        return identity;
    }

    /** {@link #of(Optional, Map, Path, FileHasher, UnaryOperator)} with a script's environment as it is. */
    static String of(Optional<String> linker, Map<String, String> env, Path cwd, FileHasher hasher)
            throws IOException {
        return of(linker, env, cwd, hasher, UnaryOperator.identity());
    }
}
