package io.kache.cli;

import io.kache.core.Invocation;
import io.kache.core.server.ServerCommands;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The kache commands the kache server runs for {@code bin/kache}, in its JVM: {@code sync}. A pull
 * or push hashes and compresses every byte it moves, which a fresh JVM does with a cold JIT (C1
 * only, SHA-256 runs at a twelfth of its speed; the full JIT spends seconds compiling); a build
 * after a pull then finds that server up, not a JVM to start. The command runs exactly as in a JVM
 * of its own: its arguments, environment, directory and streams are the call's ({@link Invocation}).
 * Without a server ({@code KACHE_NO_SERVER}, no native client) it still runs in a JVM of its own.
 */
final class ServedCommands implements ServerCommands {

    /** The commands the server runs; bin/kache and kache-client send it these and compiler calls. */
    static final Set<String> SERVED = Set.of("sync");

    private final Optional<Path> launcher;

    /** @param launcher the kache script that started the server, as cargo should call it */
    ServedCommands(Optional<Path> launcher) {
        this.launcher = launcher;
    }

    @Override
    public boolean serves(List<String> args) {
        return !args.isEmpty() && SERVED.contains(args.get(0));
    }

    @Override
    public OptionalInt run(Invocation inv) {
        if (!serves(inv.args())) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(KacheCli.run(inv, launcher));
    }
}
