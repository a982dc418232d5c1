package io.kache.core;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One call of kache: its arguments, environment, working directory and streams, passed explicitly
 * so nothing deep inside reads {@code System.getenv()} or {@code user.dir}. The same logic can then
 * serve many calls from one long-lived JVM.
 *
 * @param args the arguments after the program name
 * @param env the environment of the call
 * @param cwd the absolute working directory of the call
 * @param descriptorOwner the process holding the descriptors the call inherited (cargo's jobserver
 *     pipe), when that is not this JVM: the kache server serves calls of its native client
 */
public record Invocation(List<String> args, Map<String, String> env, Path cwd,
                         InputStream in, PrintStream out, PrintStream err, OptionalLong descriptorOwner) {

    public Invocation {
        args = List.copyOf(args);
        env = Map.copyOf(env);
        Objects.requireNonNull(cwd, "cwd");
        if (!cwd.isAbsolute()) {
            throw new IllegalArgumentException("cwd must be absolute: " + cwd);
        }
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        Objects.requireNonNull(descriptorOwner, "descriptorOwner");
    }

    /** A call whose inherited descriptors are this JVM's own. */
    public Invocation(List<String> args, Map<String, String> env, Path cwd, InputStream in, PrintStream out,
                      PrintStream err) {
        this(args, env, cwd, in, out, err, OptionalLong.empty());
    }

    /** The pid whose {@code /proc/PID/fd} holds the call's inherited descriptors. */
    public long descriptorOwnerPid() {
        return descriptorOwner.isPresent() ? descriptorOwner.getAsLong() : ProcessHandle.current().pid();
    }

    /**
     * Whether the call's stderr is a terminal (a live progress display then suits it): descriptor 2
     * of the descriptor owner, the native client when the server runs the call, else this JVM, whose
     * {@code System.console()} would tell about stdin and stdout instead. A stream other than this
     * JVM's own stderr (a test's capture) is not one.
     */
    public boolean stderrIsTerminal() {
        if (descriptorOwner.isEmpty() && err != System.err) {
            return false;
        }
        // Gone, or not ours to see: plain lines.
        return ProcessStderr.target(descriptorOwnerPid()).map(ProcessStderr::isTerminal).orElse(false);
    }

    /** The call this JVM was started for. Only {@code main} methods call this. */
    public static Invocation ofProcess(String[] args) {
        return new Invocation(List.of(args), CallerEnvironment.current(), Path.of("").toAbsolutePath(),
                System.in, System.out, System.err);
    }

    /** The value of {@code name} in this call's environment, if set and not empty. */
    public Optional<String> getenv(String name) {
        String v = env.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

}
