package io.kache.core.rustc;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Finds the program a call names as the shell would: a name with a {@code /} is a path, any other
 * name is looked up on the call's {@code PATH}, never the JVM's; relative paths are taken from the
 * call's directory. Tells a script from a binary, and what a script may read besides its text.
 */
public final class Executables {

    /** What a process without {@code PATH} searches, as glibc's {@code execvp} does. */
    private static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

    /** Binaries known to be scripts or not, by {@link ToolchainIdentity#stamp}; a few per machine: a small bound. */
    private static final Map<String, Boolean> SCRIPTS = new ConcurrentHashMap<>();
    private static final int MAX_REMEMBERED_SCRIPTS = 256;

    private Executables() {
    }

    /**
     * The executable regular file {@code name} denotes for a call with {@code env} in {@code cwd},
     * or empty when there is none. Empty entries of {@code PATH} are skipped: a compiler is never
     * taken from whatever directory a build happens to run in.
     */
    public static Optional<Path> find(String name, Map<String, String> env, Path cwd) {
        if (name.isEmpty()) {
            return Optional.empty();
        }
        try {
            if (name.contains("/")) {
                return executable(cwd.resolve(name));
            }
            for (String dir : env.getOrDefault("PATH", DEFAULT_PATH).split(File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    Optional<Path> found = executable(cwd.resolve(dir).resolve(name));
                    if (found.isPresent()) {
                        return found;
                    }
                }
            }
        } catch (InvalidPathException e) {
            // A name no file can have (a NUL byte) names no executable.
        }
        return Optional.empty();
    }

    /**
     * {@link #isScript(Path)} of the binary with {@code stamp} ({@link ToolchainIdentity#stamp}), read
     * once per stamp in a process: every call asks, and the server answers a build's calls for one
     * compiler. The stamp is what ToolchainIdentity's banner memo trusts the binary by too; a binary
     * rewritten in place has another.
     */
    static boolean isScript(Path real, String stamp) throws IOException {
        Boolean known = SCRIPTS.get(stamp);
        if (known == null) {
            known = isScript(real);
            if (SCRIPTS.size() >= MAX_REMEMBERED_SCRIPTS) {
                SCRIPTS.clear();
            }
            SCRIPTS.put(stamp, known);
        }
        return known;
    }

    /** Whether {@code file} starts with {@code #!}: a script, whose interpreter runs whatever it says. */
    private static boolean isScript(Path file) throws IOException {
        // java.io: on every call's path, and cheaper to open than a NIO channel.
        try (java.io.FileInputStream in = new java.io.FileInputStream(file.toFile())) {
            return in.read() == '#' && in.read() == '!';
        }
    }

    /**
     * What a script ({@code #!}) a call runs may act on besides its own text, as far as kache can
     * tell: the call's environment, sorted, without
     * <ul>
     * <li>the variables cargo sets per unit ({@code CARGO_*}, {@code OUT_DIR}, its jobserver's
     * {@code MAKEFLAGS}), which change from call to call within one build and are keyed otherwise
     * where they matter; but {@code CARGO_ENCODED_RUSTFLAGS} stays, the user's setting (cargo sets it
     * for build scripts it runs, never for a compiler);
     * <li>the paths of the chain's own programs ({@code RUSTC}, {@code RUSTC_WRAPPER},
     * {@code RUSTC_WORKSPACE_WRAPPER}): each program that runs is keyed by its content;
     * <li>kache's own settings ({@code KACHE_*}): its store, configuration and server differ from
     * machine to machine and are no script's business;
     * <li>the shell's bookkeeping ({@code PWD} and {@code OLDPWD}, the directories it is and was in,
     * {@code SHLVL}, how deep it is nested, and {@code _}, the command it ran last), which differs
     * with how a build was started, not with what it builds: each shell on the way resets
     * {@code PWD} to where it runs, so the same call reached through kache's launcher or not had
     * two keys. The call's directory is keyed otherwise.
     * </ul>
     * One concept for every script kache meets: a {@code RUSTC} shim ({@link ToolchainIdentity})
     * and a linker wrapper ({@link LinkerIdentity}) may both pass flags they read here
     * ({@code exec rustc "$@" $SHIM_FLAGS}).
     *
     * @param normalize applied to each value: the key's path sentinels, so a checkout's paths in a
     *     value do not keep another checkout from sharing; the identity for a memo that is per machine
     */
    public static String scriptEnvironment(Map<String, String> env, UnaryOperator<String> normalize) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(env).forEach((name, value) -> {
            if (!notTheScripts(name)) {
                sb.append(name).append('=').append(normalize.apply(value)).append('\0');
            }
        });
        return sb.toString();
    }

    private static boolean notTheScripts(String name) {
        if (name.equals("CARGO_ENCODED_RUSTFLAGS")) {
            return false;
        }
        return name.startsWith("CARGO_") || name.startsWith("__CARGO") || name.equals("CARGO")
                || name.equals("OUT_DIR") || name.equals("MAKEFLAGS") || name.equals("MFLAGS")
                || name.equals("RUSTC") || name.equals("RUSTC_WRAPPER") || name.equals("RUSTC_WORKSPACE_WRAPPER")
                || name.startsWith("KACHE_") || name.equals("OLDPWD") || name.equals("_")
                || name.equals("PWD") || name.equals("SHLVL");
    }

    private static Optional<Path> executable(Path p) {
        return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }
}
