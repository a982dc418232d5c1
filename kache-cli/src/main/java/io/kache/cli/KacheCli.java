package io.kache.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The management commands, parsed by picocli. */
@Command(name = "kache", mixinStandardHelpOptions = true, version = "kache 0.1.0-SNAPSHOT",
        description = "A content-addressed build cache for Rust. Use as RUSTC_WRAPPER=kache.",
        subcommands = {ListCommand.class, StatsCommand.class, GcCommand.class, PurgeCommand.class})
final class KacheCli implements Runnable {

    static int run(String[] args) {
        return new CommandLine(new KacheCli()).execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
