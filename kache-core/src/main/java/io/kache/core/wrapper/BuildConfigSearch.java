package io.kache.core.wrapper;

import io.kache.core.Invocation;
import io.kache.core.journal.BuildId;
import io.kache.core.rustc.ParsedCall;
import io.kache.core.rustc.RustcArgsParser;
import io.kache.core.rustc.RustcCall;
import io.kache.core.rustc.SentinelRoots;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where a wrapped call's search for the project's {@code .kache.toml} starts: the build's directory,
 * not the call's. cargo runs rustc for a workspace member (or any package under the workspace root)
 * from the workspace root with a relative source path, but for a package outside it (a path
 * dependency {@code ../ext}, every registry or git crate) from that package's own root with an
 * absolute source path: searched from there, the project's file would never be found for most of
 * the build. So for an absolute source the search starts, in this order, from
 * <ol>
 *   <li>the directory of the manifest the cargo process that ran the wrapper builds, when that process
 *       is cargo ({@code /proc/PID/comm}): the one its {@code --manifest-path} names (or
 *       {@code cargo install --path}), else its working directory ({@code /proc/PID/cwd}), the
 *       directory the build was started in, in the workspace the members search from (a
 *       {@code --manifest-path sub/Cargo.toml} run from a monorepo's root with a {@code .kache.toml}
 *       of its own gave the dependencies the root's file and the members {@code sub}'s: found by a hunt);
 *   <li>the parent of the call's target dir when it holds a {@code Cargo.toml} (cargo's default layout);
 *   <li>the working directory of the process that ran the wrapper when it is not cargo (a wrapper of
 *       kache's own, run in the call's directory);
 *   <li>the call's own working directory,
 * </ol>
 * skipping a process that is gone or a {@code /proc} that cannot be read, and the first from which a
 * {@code .kache.toml} is found gives it: a path dependency's own {@code .kache.toml} yields to the
 * build's. cargo's directory comes before the target dir's parent since a {@code CARGO_TARGET_DIR}
 * may lie in another project ({@code /repo/target} while building {@code /repo/tools/x}, each with
 * its own file): the dependencies then took {@code /repo}'s file, the members {@code tools/x}'s.
 * Runs on every call of a package outside the workspace: a few stats, one read of
 * {@code /proc/PID/stat}, {@code /proc/PID/comm} and {@code /proc/PID/cmdline}, one readlink, no process.
 */
final class BuildConfigSearch {

    private BuildConfigSearch() {
    }

    /** The directories the search of {@code inv} starts from, in order. */
    static List<Path> of(Invocation inv) {
        List<String> args = inv.args();
        // A workspace wrapper chain (DRIVER RUSTC ARGS…) runs members only, which cargo runs from the
        // workspace root: like any call kache does not understand, it searches from its directory.
        if (args.size() < 2 || RustcWrapper.mayBeWrapperChain(args)) {
            return List.of(inv.cwd());
        }
        // Parsed for its source and out-dir only: before the config, the compiler is not asked what it is.
        ParsedCall parsed = RustcArgsParser.parse(Path.of(args.get(0)), args.subList(1, args.size()), inv.cwd());
        if (!(parsed instanceof RustcCall call) || !Path.of(call.source()).isAbsolute()) {
            return List.of(inv.cwd());
        }
        return of(call, inv.cwd(), BuildId.buildPid(inv.descriptorOwner()));
    }

    /**
     * @param call a call whose source is absolute: of a package outside its workspace
     * @param cwd the call's working directory
     * @param buildPid the cargo process that ran the wrapper, if known
     */
    static List<Path> of(RustcCall call, Path cwd, OptionalLong buildPid) {
        List<Path> starts = new ArrayList<>(4);
        Optional<Path> runnerCwd = Optional.empty();
        boolean runByCargo = false;
        if (buildPid.isPresent() && buildPid.getAsLong() > 1) {
            Path proc = Path.of("/proc", Long.toString(buildPid.getAsLong()));
            try {
                Path dir = Files.readSymbolicLink(proc.resolve("cwd"));
                if (dir.isAbsolute()) {
                    runnerCwd = Optional.of(dir);
                    runByCargo = Files.readString(proc.resolve("comm")).strip().equals("cargo");
                }
            } catch (IOException | UnsupportedOperationException e) {
                // Gone, another user's, or no /proc: the other directories decide.
            }
        }
        if (runByCargo) {
            starts.add(manifestDirectory(Path.of("/proc", Long.toString(buildPid.getAsLong()), "cmdline"),
                    runnerCwd.get()).orElse(runnerCwd.get()));
        }
        SentinelRoots.targetDir(call.outDir()).map(Path::getParent)
                .filter(dir -> Files.isRegularFile(dir.resolve("Cargo.toml")) && !starts.contains(dir))
                .ifPresent(starts::add);
        runnerCwd.filter(dir -> !starts.contains(dir)).ifPresent(starts::add);
        if (!starts.contains(cwd)) {
            starts.add(cwd);
        }
        return starts;
    }

    /**
     * The directory of the manifest cargo's command line names: {@code --manifest-path FILE}'s, or
     * {@code cargo install --path DIR}; relative to cargo's directory {@code cargoCwd}. Empty when it
     * names none (the manifest in or above its directory) or cannot be read.
     */
    static Optional<Path> manifestDirectory(Path cmdline, Path cargoCwd) {
        List<String> args;
        try {
            args = List.of(new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).split("\0"));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        boolean install = args.contains("install");
        for (int i = 1; i < args.size() && !args.get(i).equals("--"); i++) {
            String a = args.get(i);
            boolean manifest = a.startsWith("--manifest-path");
            if (!manifest && !(install && a.startsWith("--path"))) {
                continue;
            }
            String flag = manifest ? "--manifest-path" : "--path";
            String value = a.equals(flag) && i + 1 < args.size() ? args.get(i + 1)
                    : a.startsWith(flag + "=") ? a.substring(flag.length() + 1) : null;
            if (value == null || value.isEmpty()) {
                continue;
            }
            try {
                Path named = cargoCwd.resolve(value).normalize();
                Path dir = manifest ? named.getParent() : named;
                return dir == null ? Optional.empty() : Optional.of(dir);
            } catch (InvalidPathException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
