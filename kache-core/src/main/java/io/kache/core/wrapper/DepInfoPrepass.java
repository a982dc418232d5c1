package io.kache.core.wrapper;

import io.kache.core.Invocation;
import io.kache.core.rustc.DepInfo;
import io.kache.core.rustc.RustcCall;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Asks rustc which files and variables a crate reads, without compiling it: the same call with
 * {@code --emit=dep-info} into a scratch directory. Needed only when the key of an entry that may
 * exist remotely must be known before this machine has ever compiled the call.
 */
final class DepInfoPrepass {

    private DepInfoPrepass() {
    }

    /**
     * The dep-info rustc writes for {@code call}, or empty if rustc failed.
     *
     * @param scratch a fresh path for the scratch directory (the store's {@code tmp/}), removed afterwards
     */
    static Optional<DepInfo> run(RustcCall call, Invocation inv, Path scratch) throws IOException {
        Files.createDirectory(scratch);
        try {
            List<String> command = new ArrayList<>();
            command.addAll(call.program());
            List<String> args = call.execArgs();
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                if (a.equals("--emit") || a.equals("--out-dir")) {
                    i++;
                } else if (!a.startsWith("--emit=") && !a.startsWith("--out-dir=")) {
                    command.add(a);
                }
            }
            command.add("--emit=dep-info");
            command.add("--out-dir=" + scratch);
            int code = RustcProcess.quiet(command, inv);
            Path dep = scratch.resolve(call.crateName() + call.extraFilename() + ".d");
            if (code != 0 || !Files.isRegularFile(dep)) {
                return Optional.empty();
            }
            return Optional.of(DepInfo.read(dep));
        } finally {
            try (var files = Files.list(scratch)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(scratch);
        }
    }
}
