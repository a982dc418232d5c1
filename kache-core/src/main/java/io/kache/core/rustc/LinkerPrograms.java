package io.kache.core.rustc;

import io.kache.core.hash.Sha256;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The program a C compiler driver runs for a {@link LinkerChoice}'s name ({@code ld.mold}), by
 * asking it: {@code cc -B… -print-prog-name=ld.mold}, which gcc and clang both answer with the path
 * they find along their own search (the {@code -B} prefixes, {@code COMPILER_PATH},
 * {@code GCC_EXEC_PREFIX}, their private directories; clang, {@code PATH} too), or with the name alone,
 * which they then run from {@code PATH}. Repeating gcc's search here would miss its private
 * directories; asking is exact.
 *
 * <p>Asking costs a process, so the answer is remembered in the {@link ToolchainMemo}, as a
 * compiler's banner is, per selection: the driver's file ({@link ToolchainIdentity#stamp}), the
 * name, the arguments that change the driver's search ({@link LinkerChoice#driverArgs}), the
 * prefixes, {@code PATH}, {@code COMPILER_PATH} and {@code GCC_EXEC_PREFIX}, the call's directory
 * only when one of those or the driver is relative, the modification time of each directory those name (so a program added
 * to one is asked about again) and, for a driver that is a script, its environment. A call then
 * costs a few stats and a small read. A program added to a subdirectory of a prefix or to the
 * driver's private directories, without a new driver, is not noticed.
 */
public final class LinkerPrograms {

    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);
    /** What a driver that did not answer is remembered by: not a program name (no program is called that). */
    private static final String NO_ANSWER = "\0no answer";

    private final ToolchainMemo memo;

    /** @param memo where answers are remembered, one small file per selection */
    public LinkerPrograms(ToolchainMemo memo) {
        this.memo = memo;
    }

    /**
     * What {@code driver} (found, not necessarily real) answers for {@code choice}'s program: a path
     * (with a {@code /}, relative to {@code cwd} when relative) or a name to look up on {@code PATH};
     * empty when the driver does not answer, which is remembered too.
     *
     * @throws IOException if the driver could not be asked (not started, timed out, nowhere to keep
     *     its answer): then nothing is remembered
     */
    public Optional<String> programPath(Path driver, LinkerChoice choice, Map<String, String> env, Path cwd)
            throws IOException {
        String name = Sha256.of(selection(driver, choice, env, cwd).getBytes(StandardCharsets.UTF_8)) + ".ldprog";
        Optional<String> known = memo.read(name);
        // A remembered path that is gone (a package removed) is asked about again.
        if (known.isPresent() && (!known.get().contains("/") || isFile(cwd, known.get()))) {
            return known.filter(k -> !k.equals(NO_ANSWER));
        }
        Optional<String> answer = ask(driver, choice, env, cwd);
        try {
            memo.write(name, answer.orElse(NO_ANSWER));
        } catch (IOException | RuntimeException e) {
            // Only an optimisation: asked again next time.
        }
        return answer;
    }

    private Optional<String> ask(Path driver, LinkerChoice choice, Map<String, String> env, Path cwd)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(driver.toString());
        command.addAll(choice.driverArgs());
        for (String prefix : choice.prefixes()) {
            command.add("-B" + prefix);
        }
        command.add("-print-prog-name=" + choice.program());
        ToolchainQuery.Answer answer = ToolchainQuery.ask(command, env, cwd, ANSWER_TIMEOUT, memo::newTemp);
        String out = new String(answer.stdout(), StandardCharsets.UTF_8).strip();
        if (!answer.succeeded() || out.isEmpty() || out.contains("\n") || out.contains("\0")) {
            return Optional.empty();
        }
        return Optional.of(out);
    }

    private static boolean isFile(Path cwd, String path) {
        try {
            return cwd.resolve(path).toFile().isFile();
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /** Everything the driver's answer depends on, as far as a stat of each tells; see the class comment. */
    static String selection(Path driver, LinkerChoice choice, Map<String, String> env, Path cwd) throws IOException {
        Path real = driver.toRealPath();
        String stamp = ToolchainIdentity.stamp(real);
        StringBuilder sb = new StringBuilder("print-prog-name\n").append(driver).append('\n').append(stamp)
                .append("program ").append(choice.program()).append('\n');
        for (String arg : choice.driverArgs()) {
            sb.append("driver arg ").append(arg).append('\n');
        }
        List<String> searched = new ArrayList<>(choice.prefixes());
        for (String prefix : choice.prefixes()) {
            sb.append("prefix ").append(prefix).append('\n');
        }
        for (String variable : List.of("PATH", "COMPILER_PATH", "GCC_EXEC_PREFIX")) {
            String value = env.get(variable);
            sb.append(variable).append(value == null ? " unset" : "=" + value).append('\n');
            if (value != null) {
                // -1: a trailing empty entry is the current directory too.
                searched.addAll(List.of(value.split(File.pathSeparator, -1)));
            }
        }
        for (String dir : searched) {
            sb.append("dir ").append(dir).append(' ').append(modified(dir, cwd)).append('\n');
        }
        // The call's directory only when something is looked up from it: a dependency's calls each
        // run in their own crate's, and keying it always would ask the driver once per crate.
        if (!driver.isAbsolute() || searched.stream().anyMatch(dir -> !dir.startsWith("/"))
                || namesRelativePath(choice.driverArgs())) {
            sb.append("cwd ").append(cwd.toAbsolutePath().normalize()).append('\n');
        }
        if (Executables.isScript(real, stamp)) {
            sb.append("script environment\n").append(Executables.scriptEnvironment(env, UnaryOperator.identity()));
        }
        return sb.toString();
    }

    /** Whether a {@link LinkerChoice#driverArgs} value is a file or directory relative to the call's directory. */
    private static boolean namesRelativePath(List<String> driverArgs) {
        for (int i = 0; i < driverArgs.size(); i++) {
            String arg = driverArgs.get(i);
            String value;
            if (arg.equals("-no-canonical-prefixes") || arg.startsWith("--target=")) {
                continue;
            } else if (arg.equals("-target")) {
                i++;
                continue;
            } else if (arg.startsWith("-") && arg.contains("=")) {
                value = arg.substring(arg.indexOf('=') + 1);
            } else if (i + 1 < driverArgs.size()) {
                value = driverArgs.get(++i);
            } else {
                continue;
            }
            if (!value.startsWith("/")) {
                return true;
            }
        }
        return false;
    }

    /** When directory {@code dir} (or, for a prefix that is no directory, the one it is in) last changed. */
    private static String modified(String dir, Path cwd) {
        if (dir.isEmpty()) {
            return "empty";
        }
        try {
            Path path = cwd.resolve(dir);
            Path where = path.toFile().isDirectory() ? path : path.getParent();
            // java.io first: a missing directory costs NIO a thrown exception. Full precision: a
            // program added within the millisecond after the answer is another selection.
            return where != null && where.toFile().isDirectory() ? Files.getLastModifiedTime(where).toString()
                    : "absent";
        } catch (InvalidPathException | IOException e) {
            return "unreadable";
        }
    }
}
