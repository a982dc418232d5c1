package io.kache.cli;

import io.kache.cli.startup.StartupTraining;
import io.kache.core.Invocation;
import io.kache.core.server.KacheServer;
import io.kache.core.wrapper.RustcWrapper;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code kache} entry point. Decides between wrapper mode and the CLI from the first argument
 * before loading anything else, so the wrapper's hot path never loads picocli.
 */
public final class Main {

    /** Set by bin/kache to its own absolute path. */
    static final String LAUNCHER_PROPERTY = "kache.launcher";
    /**
     * kache's commands (picocli's subcommands of {@link KacheCli}; a test keeps the two equal, and
     * {@code bin/kache} names them too). A first argument among them is the CLI even where an
     * executable of that name is on PATH ({@code /usr/bin/sync}).
     */
    public static final Set<String> COMMANDS = Set.of("config", "list", "stats", "report", "gc", "purge", "sync",
            "doctor", "init", "why-miss", "help");

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("__server")) {
            KacheServer.main(new String[] {args[1]}, new ServedCommands(launcher()));
            return;
        }
        if (args.length == 1 && args[0].equals("__train")) {
            // The release archive trains its start-up archive through its own launcher and runtime.
            StartupTraining.run(KacheCli::run);
            return;
        }
        Invocation inv = Invocation.ofProcess(args);
        if (isWrapperCall(inv)) {
            System.exit(RustcWrapper.run(inv));
        }
        System.exit(KacheCli.run(inv, launcher()));
    }

    /** The launcher script that started this JVM, which names itself (kache init writes that path into cargo's config). */
    private static Optional<Path> launcher() {
        String launcher = System.getProperty(LAUNCHER_PROPERTY, "");
        return launcher.isEmpty() ? Optional.empty() : Optional.of(Path.of(launcher));
    }

    /**
     * Whether the call wraps a compiler: its first argument is not a kache command and names an
     * executable, whatever it is called (cargo runs {@code $RUSTC_WRAPPER $RUSTC ARGS…}).
     */
    static boolean isWrapperCall(Invocation inv) {
        return !inv.args().isEmpty() && !COMMANDS.contains(inv.args().get(0))
                && RustcWrapper.isCompiler(inv.args().get(0), inv.env(), inv.cwd());
    }
}
