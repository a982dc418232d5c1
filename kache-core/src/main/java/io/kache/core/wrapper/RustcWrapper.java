package io.kache.core.wrapper;

import io.kache.core.Invocation;
import io.kache.core.config.ConfigLoader;
import io.kache.core.rustc.CompilerKinds;
import io.kache.core.rustc.Executables;
import io.kache.core.rustc.ParsedCall;
import io.kache.core.rustc.Passthrough;
import io.kache.core.rustc.RustcArgsParser;
import io.kache.core.rustc.RustcCall;
import io.kache.core.store.LocalStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Wrapper mode: {@code kache /path/to/rustc ARGS…}. A call it fully understands, made to a compiler
 * that is rustc whatever its name, is served from the cache or compiled and stored; anything else
 * runs the compiler unchanged. Whatever goes wrong inside kache, the compiler still runs and its
 * exit code is the answer: the build never fails because of kache.
 */
public final class RustcWrapper {

    private RustcWrapper() {
    }

    /**
     * Whether {@code arg}, the first argument of a call, names a compiler, so that kache runs as a
     * wrapper: an executable file, by its path or by a name on the call's {@code PATH}, whatever
     * it is called. Whether it is rustc is decided later, per compile; anything else passes
     * through. The caller first rules out kache's own commands.
     */
    public static boolean isCompiler(String arg, Map<String, String> env, Path cwd) {
        return !arg.startsWith("-") && Executables.find(arg, env, cwd).isPresent();
    }

    /**
     * Runs one wrapped call with the configuration of its environment and directory. A broken
     * configuration is reported on stderr and the call runs rustc uncached.
     *
     * @param inv the call; {@code inv.args()} starts with the compiler
     * @return the exit code to exit with (rustc's)
     */
    public static int run(Invocation inv) {
        if ("debug".equals(inv.env().get("KACHE_LOG"))) {
            WrapperLog.enableDebug();
        }
        WrapperSettings settings;
        try {
            settings = WrapperSettings.of(ConfigLoader.load(inv.env(), inv.cwd()));
        } catch (RuntimeException e) {
            inv.err().println("kache: " + e.getMessage() + "; running rustc without the cache");
            return passthrough(inv.args(), inv, null, "configuration error");
        }
        return run(inv, settings);
    }

    /**
     * Runs one wrapped call.
     *
     * @param inv the call; {@code inv.args()} starts with the compiler
     * @param settings the wrapper's settings
     * @return the exit code to exit with (rustc's)
     */
    public static int run(Invocation inv, WrapperSettings settings) {
        if (settings.disabled()) {
            return passthrough(inv.args(), inv, null, "KACHE_DISABLED");
        }
        ParsedCall parsed = parse(inv);
        LocalStore store;
        try {
            store = LocalStore.open(settings.storeRoot(), settings.maxSize());
        } catch (IOException | RuntimeException e) {
            WrapperLog.warn("cannot open the local store " + settings.storeRoot() + ": " + e.getMessage()
                    + "; running rustc directly");
            return passthrough(inv.args(), inv, null, "store unavailable");
        }
        try {
            if (parsed instanceof Passthrough p) {
                return passthrough(inv.args(), inv, store, p.reason());
            }
            if (!isRustc((RustcCall) parsed, inv, store)) {
                return passthrough(inv.args(), inv, store, "not rustc");
            }
            if (bypassed(parsed, settings)) {
                return passthrough(inv.args(), inv, store, "bypass_crates");
            }
            return compile((RustcCall) parsed, inv, settings, store);
        } finally {
            closeQuietly(store);
        }
    }

    /**
     * Serves a cacheable compile for the kache server: a hit is restored and replayed, a miss is
     * compiled (under the call's lock, through the remote if any) and stored, with rustc's output
     * written to the call's streams as it comes. Anything the server does not take — a call kache
     * passes through, {@code KACHE_DISABLED}, a broken configuration, a store that cannot open —
     * returns empty before anything was written, so the client runs the call in a JVM as usual.
     */
    public static Optional<Integer> serve(Invocation inv) {
        WrapperSettings settings;
        ParsedCall parsed;
        LocalStore store;
        try {
            settings = WrapperSettings.of(ConfigLoader.load(inv.env(), inv.cwd()));
            if (settings.disabled() || inv.args().isEmpty()) {
                return Optional.empty();
            }
            parsed = parse(inv);
            if (!(parsed instanceof RustcCall) || bypassed(parsed, settings)) {
                return Optional.empty();
            }
            store = LocalStore.open(settings.storeRoot(), settings.maxSize());
        } catch (IOException | RuntimeException e) {
            if (WrapperLog.isDebug()) {
                WrapperLog.debug("the server leaves " + inv.args() + " to the JVM wrapper: " + e);
            }
            return Optional.empty();
        }
        try {
            // After the store opened: the answer is remembered in it. Declining here writes nothing.
            if (!isRustc((RustcCall) parsed, inv, store)) {
                return Optional.empty();
            }
            return Optional.of(compile((RustcCall) parsed, inv, settings, store));
        } finally {
            closeQuietly(store);
        }
    }

    /** Whether {@code bypass_crates} names the crate of a cacheable call: it then always compiles. */
    private static boolean bypassed(ParsedCall parsed, WrapperSettings settings) {
        return parsed instanceof RustcCall call && settings.bypassCrates().matches(call.crateName());
    }

    /** The call's arguments, with the compiler found as the call would find it (its PATH, its directory). */
    private static ParsedCall parse(Invocation inv) {
        List<String> args = inv.args();
        Optional<Path> compiler = Executables.find(args.get(0), inv.env(), inv.cwd());
        if (compiler.isEmpty()) {
            return new Passthrough("no executable " + args.get(0));
        }
        return RustcArgsParser.parse(compiler.get(), args.subList(1, args.size()), inv.cwd());
    }

    /** Whether the compiler is rustc: only then is its output rustc's to cache. Asked once per binary. */
    private static boolean isRustc(RustcCall call, Invocation inv, LocalStore store) {
        boolean rustc = new CompilerKinds(store.toolchainMemo()).isRustc(call.rustc(), inv.env(), inv.cwd());
        if (!rustc && WrapperLog.isDebug()) {
            WrapperLog.debug(call.rustc() + " is not rustc (its -vV says so): running it unchanged");
        }
        return rustc;
    }

    private static int compile(RustcCall call, Invocation inv, WrapperSettings settings, LocalStore store) {
        int exit = new CachedCompile(call, inv, settings, store).run();
        // What a call hashes is its main cost after start-up: shown with KACHE_LOG=debug.
        if (WrapperLog.isDebug()) {
            WrapperLog.debug(call.crateName() + ": " + store.hashes().filesHashed()
                    + " file(s) read to hash (the rest came from the memo)");
        }
        return exit;
    }

    private static void closeQuietly(LocalStore store) {
        try {
            store.close();
        } catch (IOException | RuntimeException e) {
            WrapperLog.warn("closing the local store failed: " + e.getMessage());
        }
    }

    static int passthrough(List<String> command, Invocation inv, LocalStore store, String reason) {
        if (store != null) {
            store.recordPassthrough(reason);
        }
        if (WrapperLog.isDebug()) {
            WrapperLog.debug("passthrough (" + reason + "): " + command);
        }
        try {
            return RustcProcess.passthrough(command, inv);
        } catch (IOException e) {
            inv.err().println("kache: cannot run " + command.get(0) + ": " + e.getMessage());
            return 127;
        }
    }
}
