package io.kache.cli;

import io.kache.core.Invocation;
import io.kache.core.config.ConfigException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/** The management commands, parsed by picocli. */
@Command(name = "kache", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "A content-addressed build cache for Rust. Use as RUSTC_WRAPPER=kache.",
        subcommands = {ConfigCommand.class, ListCommand.class, StatsCommand.class, ReportCommand.class, GcCommand.class,
                PurgeCommand.class, SyncCommand.class, DoctorCommand.class, InitCommand.class, WhyMissCommand.class,
                CommandLine.HelpCommand.class})
final class KacheCli implements Runnable {

    /** Exit status for a configuration kache cannot use; picocli uses the same for bad arguments. */
    static final int EXIT_BAD_CONFIG = 2;

    private final Invocation invocation;
    private final Optional<Path> launcher;

    @Spec
    CommandSpec spec;

    KacheCli(Invocation invocation, Optional<Path> launcher) {
        this.invocation = invocation;
        this.launcher = launcher;
    }

    KacheCli(Invocation invocation) {
        this(invocation, Optional.empty());
    }

    /** Runs the command, not knowing which launcher started it. */
    static int run(Invocation invocation) {
        return run(invocation, Optional.empty());
    }

    /** Runs the command; {@code launcher} is the absolute path of the kache script that started it, if known. */
    static int run(Invocation invocation, Optional<Path> launcher) {
        CommandLine cmd = new CommandLine(new KacheCli(invocation, launcher));
        PrintWriter out = new PrintWriter(invocation.out(), true);
        PrintWriter err = new PrintWriter(invocation.err(), true);
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setExecutionExceptionHandler(KacheCli::handle);
        try {
            return cmd.execute(invocation.args().toArray(String[]::new));
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** The call this CLI serves: commands read env and cwd from here, never from the JVM. */
    Invocation invocation() {
        return invocation;
    }

    /** The absolute path of the {@code kache} script that started this JVM, as cargo should call it. */
    Optional<Path> launcher() {
        return launcher;
    }

    // A bad config is the user's to fix: one line naming key, origin and allowed values, no stack trace.
    private static int handle(Exception e, CommandLine cmd, ParseResult parsed) throws Exception {
        if (e instanceof ConfigException) {
            cmd.getErr().println("kache: " + e.getMessage());
            return EXIT_BAD_CONFIG;
        }
        throw e;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
