package io.kache.cli;

import io.kache.core.Invocation;
import io.kache.core.config.ConfigException;
import io.kache.core.config.ConfigLoader;
import io.kache.core.config.KacheConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code kache init}: makes cargo use this kache for every build, without environment variables, by
 * setting {@code [build] rustc-wrapper} in {@code $CARGO_HOME/config.toml}. Everything else in that
 * file stays byte for byte ({@link CargoWrapperSetting}); the file is replaced atomically, or not at all,
 * and never over an edit saved while init ran ({@link CargoConfigFile}): the edit is made again from
 * the new text.
 */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Make cargo use this kache: set [build] rustc-wrapper in $CARGO_HOME/config.toml.")
final class InitCommand implements Callable<Integer> {

    /** Exit status when the cargo config was left as it was because kache must not or cannot change it. */
    static final int EXIT_REFUSED = 1;

    @ParentCommand
    KacheCli parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--print", description = "Only show the setting and the file it belongs in; change nothing.")
    boolean print;

    @Option(names = "--force", description = "Replace (or with --uninstall remove) another rustc-wrapper.")
    boolean force;

    @Option(names = "--uninstall", description = "Remove kache's rustc-wrapper setting again.")
    boolean uninstall;

    @Override
    public Integer call() {
        Invocation inv = parent.invocation();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<Path> self = parent.launcher();
        if (self.isEmpty()) {
            err.println("kache init: cannot tell where this kache is installed (run it as bin/kache, which"
                    + " passes its own path); or set rustc-wrapper under [build] in $CARGO_HOME/config.toml by hand");
            return EXIT_REFUSED;
        }
        String launcher = self.get().toString();
        String wrapper = wrapperOf(self.get()).toString();
        Set<String> thisKache = Set.copyOf(List.of(launcher, wrapper));
        Optional<Path> found = cargoConfig(inv);
        if (found.isEmpty()) {
            err.println("kache init: neither CARGO_HOME nor HOME is set, so there is no cargo config to change");
            return EXIT_REFUSED;
        }
        Path file = found.get();
        if (print) {
            out.println("# in " + file);
            out.println("[build]");
            out.println("rustc-wrapper = " + CargoWrapperSetting.quote(wrapper));
            return 0;
        }
        Optional<KacheConfig> config = Optional.empty();
        if (!uninstall) {
            // Checked before the cargo config is touched: a broken kache config would have every build
            // fail once cargo runs kache, so init changes nothing until it is fixed.
            try {
                config = Optional.of(ConfigLoader.load(inv.env(), inv.cwd()));
            } catch (ConfigException e) {
                err.println("kache: " + e.getMessage());
                err.println("kache init: " + file + " was left as it was; fix the kache config and run kache init again");
                return KacheCli.EXIT_BAD_CONFIG;
            }
        }
        try {
            CargoWrapperSetting.Edit edit = null;
            for (int attempt = 1; edit == null; attempt++) {
                CargoConfigFile.Snapshot read = CargoConfigFile.read(file);
                CargoWrapperSetting.Edit e = uninstall ? CargoWrapperSetting.uninstall(read.text(), wrapper, thisKache, force)
                        : CargoWrapperSetting.install(read.text(), wrapper, thisKache, force);
                if (!e.changed() || CargoConfigFile.replace(read, e.text())) {
                    edit = e;
                } else if (attempt == CargoConfigFile.ATTEMPTS) {
                    throw new CargoConfigException("changed " + attempt + " times while kache init was editing it;"
                            + " run kache init again once nothing else is editing it");
                }
            }
            out.println(said(edit, file, wrapper));
        } catch (CargoConfigException e) {
            err.println("kache init: " + file + ": " + e.getMessage() + "; the file was left as it was");
            return EXIT_REFUSED;
        }
        if (!uninstall) {
            inv.getenv("RUSTC_WRAPPER").ifPresent(w -> out.println("note: RUSTC_WRAPPER=" + w
                    + " is set in this shell and overrides the config file; unset it to use the setting"));
            return nextSteps(config.orElseThrow(), out);
        }
        return 0;
    }

    private String said(CargoWrapperSetting.Edit edit, Path file, String wrapper) {
        String setting = "build.rustc-wrapper";
        if (uninstall) {
            return edit.changed() ? "removed " + setting + " = " + CargoWrapperSetting.quote(edit.previous())
                    + " from " + file + "; cargo now calls rustc directly"
                    : file + " sets no " + setting + "; nothing to remove";
        }
        if (!edit.changed()) {
            return file + " already sets " + setting + " = " + CargoWrapperSetting.quote(wrapper) + "; nothing changed";
        }
        return (edit.previous() == null ? "set " : "replaced " + CargoWrapperSetting.quote(edit.previous())
                + " with ") + setting + " = " + CargoWrapperSetting.quote(wrapper) + " in " + file
                + "; cargo now builds through kache";
    }

    /**
     * What cargo should run for this kache: in a release archive its native client,
     * {@code libexec/kache-client}, which finds the rest of the install itself, so no shell starts
     * on any rustc call (about a millisecond each); otherwise {@code bin/kache}. A source checkout
     * keeps {@code bin/kache}: {@code mvn clean} deletes the client, and a checkout not built yet
     * must still let cargo build (bin/kache then runs rustc unchanged).
     */
    static Path wrapperOf(Path launcher) {
        Path install = launcher.toAbsolutePath().getParent().getParent();
        Path client = install == null ? null : install.resolve("libexec").resolve("kache-client");
        return client != null && Files.isExecutable(client) && Files.isDirectory(install.resolve("lib")) ? client : launcher;
    }

    /** The local store must be usable, or every build would pass through; then what to do next. */
    private static int nextSteps(KacheConfig config, PrintWriter out) {
        List<DoctorCheck> store = LocalStoreCheck.run(config, false);
        boolean ok = store.stream().allMatch(c -> c.verdict() != DoctorCheck.Verdict.FAIL);
        for (DoctorCheck c : store) {
            out.println((c.verdict() == DoctorCheck.Verdict.FAIL ? "FAIL " : "ok   ") + c.name() + ": " + c.detail());
            if (!c.fix().isEmpty()) {
                out.println("     fix: " + c.fix());
            }
        }
        out.println();
        out.println("next:");
        out.println("  cargo build                   every rustc call now goes through kache");
        out.println("  kache stats                   hits, misses and passthroughs so far");
        out.println("  share the cache between machines: set [cache.remote] (type = \"s3\", bucket, region)");
        out.println("    in ~/.config/kache/config.toml or KACHE_S3_BUCKET; see docs/configuration.md");
        out.println("  kache doctor                  check the configuration, the store and the remote");
        return ok ? 0 : EXIT_REFUSED;
    }

    /**
     * The file cargo reads: {@code $CARGO_HOME/config}, cargo's older name, wherever it exists, else
     * {@code config.toml}. With both, cargo reads {@code config} and ignores {@code config.toml} (it
     * warns "both ... exist. Using ...config"; cargo 1.95 still does), so a wrapper set in
     * {@code config.toml} would never be used.
     */
    static Optional<Path> cargoConfig(Invocation inv) {
        return inv.getenv("CARGO_HOME").map(inv.cwd()::resolve)
                .or(() -> inv.getenv("HOME").map(h -> inv.cwd().resolve(h).resolve(".cargo")))
                .map(home -> {
                    Path legacy = home.resolve("config");
                    return Files.isRegularFile(legacy) ? legacy : home.resolve("config.toml");
                });
    }
}
