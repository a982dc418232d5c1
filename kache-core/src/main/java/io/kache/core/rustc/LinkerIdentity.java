package io.kache.core.rustc;

import io.kache.core.hash.FileHasher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
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
 *
 * <p>When the linker is a C compiler driver and the call's link arguments choose the program it
 * runs ({@link LinkerChoice}: {@code -fuse-ld=mold}, {@code --ld-path=}, {@code -B}), that program is identified the same way:
 * the driver finds {@code ld.mold} on its own search and then on {@code PATH}, so another
 * {@code ld.mold} first on {@code PATH} links another program with the same driver. Which one it runs
 * the driver says ({@link LinkerPrograms}, remembered); a driver that does not say leaves the call
 * uncached ({@link UnnamedLinkerException}): the program may be in the driver's own directories,
 * whose content no name or {@code PATH} tells.
 */
public final class LinkerIdentity {

    private LinkerIdentity() {
    }

    /** The driver did not say which program it runs for the call's linker choice: the call is not keyable. */
    public static final class UnnamedLinkerException extends IOException {
        private static final long serialVersionUID = 1L;

        UnnamedLinkerException(String message) {
            super(message);
        }
    }

    /**
     * @param linkArgs the tokens rustc hands the linker ({@link RustcCall#linkArgs}), for a choice of linker among them
     * @param hasher the store's memoized hasher: the linker is read whole once per file identity
     * @param normalize the key's path sentinels, for the values of a script's environment
     * @param programs what drivers answered which program they run, remembered
     * @throws UnnamedLinkerException if the link arguments choose a linker and the driver does not
     *     say which program that is
     */
    public static String of(Optional<String> linker, List<String> linkArgs, Map<String, String> env, Path cwd,
                            FileHasher hasher, UnaryOperator<String> normalize, LinkerPrograms programs)
            throws IOException {
        String name = linker.orElse("cc");
        Optional<Path> found = Executables.find(name, env, cwd);
        if (found.isEmpty()) {
            return "unresolved:" + name;
        }
        String driver = identity(found.get(), env, hasher, normalize);
        // A linker run directly reads -Bsymbolic as its own option: there is no program to choose.
        Optional<LinkerChoice> choice = LinkerChoice.isDriver(name, found.get()) ? LinkerChoice.in(linkArgs) : Optional.empty();
        if (choice.isEmpty()) {
            return driver;
        }
        String program = choice.get().program();
        if (!choice.get().isPath()) {
            program = programs.programPath(found.get(), choice.get(), env, cwd)
                    .orElseThrow(() -> new UnnamedLinkerException(found.get() + " does not say which program "
                            + choice.get().program() + " is (-print-prog-name)"));
        }
        // A name alone is run from PATH: looked up again for each call, as the driver does.
        Optional<Path> runs = Executables.find(program, env, cwd);
        return driver + "\nruns " + (runs.isPresent() ? identity(runs.get(), env, hasher, normalize)
                : "unresolved:" + program);
    }

    /** What a program that runs is keyed by: its real file's name and content and, for a script, its environment. */
    private static String identity(Path found, Map<String, String> env, FileHasher hasher,
                                   UnaryOperator<String> normalize) throws IOException {
        Path real = found.toRealPath();
        String identity = real.getFileName() + ":" + hasher.sha256(real);
        if (Executables.isScript(real, ToolchainIdentity.stamp(real))) {
            return identity + "\nscript environment\n" + Executables.scriptEnvironment(env, normalize);
        }
        return identity;
    }

    /** {@link #of} of a call without link arguments, with a script's environment as it is. */
    static String of(Optional<String> linker, Map<String, String> env, Path cwd, FileHasher hasher)
            throws IOException {
        return of(linker, List.of(), env, cwd, hasher, UnaryOperator.identity(), null);
    }
}
