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

    /** The reason a workspace wrapper chain other than clippy-driver's passes through. */
    public static final String OTHER_WORKSPACE_WRAPPER = "workspace wrapper other than clippy-driver";
    /** The reason clippy-driver named as the compiler itself (not as a workspace wrapper) passes through. */
    public static final String CLIPPY_AS_RUSTC = "clippy-driver as the compiler";

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
        LocalStore store;
        try {
            store = LocalStore.open(settings.storeRoot(), settings.maxSize());
        } catch (IOException | RuntimeException e) {
            WrapperLog.warn("cannot open the local store " + settings.storeRoot() + ": " + e.getMessage()
                    + "; running rustc directly");
            return passthrough(inv.args(), inv, null, "store unavailable");
        }
        try {
            ParsedCall parsed = parse(inv, store);
            Optional<String> unchanged = passthroughReason(parsed, inv, settings, store);
            if (unchanged.isPresent()) {
                CallNote.passthrough(parsed, inv, store, unchanged.get());
                return passthrough(inv.args(), inv, store, unchanged.get());
            }
            return compile((RustcCall) parsed, inv, settings, store);
        } finally {
            closeQuietly(store);
        }
    }

    /**
     * Serves a call for the kache server. A cacheable compile is served: a hit is restored and
     * replayed, a miss is compiled (under the call's lock, through the remote if any) and stored,
     * with rustc's output written to the call's streams as it comes. A call kache passes through
     * unchanged is counted and handed back for the client to run itself ({@link ServerAnswer.RunUnchanged}).
     * Anything else — {@code KACHE_DISABLED}, a broken configuration, a store that cannot open — is
     * declined before anything was written, so the client runs the call in a JVM as usual.
     */
    public static ServerAnswer serve(Invocation inv) {
        WrapperSettings settings;
        LocalStore store;
        try {
            settings = WrapperSettings.of(ConfigLoader.load(inv.env(), inv.cwd()));
            if (settings.disabled() || inv.args().isEmpty()) {
                return new ServerAnswer.Declined();
            }
            store = LocalStore.open(settings.storeRoot(), settings.maxSize());
        } catch (IOException | RuntimeException e) {
            if (WrapperLog.isDebug()) {
                WrapperLog.debug("the server leaves " + inv.args() + " to the JVM wrapper: " + e);
            }
            return new ServerAnswer.Declined();
        }
        try {
            // After the store opened: what each binary is is remembered in it.
            ParsedCall parsed = parse(inv, store);
            Optional<String> unchanged = passthroughReason(parsed, inv, settings, store);
            if (unchanged.isPresent()) {
                store.recordPassthrough(unchanged.get());
                CallNote.passthrough(parsed, inv, store, unchanged.get());
                return new ServerAnswer.RunUnchanged(unchanged.get());
            }
            return new ServerAnswer.Exit(compile((RustcCall) parsed, inv, settings, store));
        } finally {
            closeQuietly(store);
        }
    }

    /** Why a parsed call runs unchanged, or empty when it is cached. */
    private static Optional<String> passthroughReason(ParsedCall parsed, Invocation inv, WrapperSettings settings,
                                                      LocalStore store) {
        if (parsed instanceof Passthrough p) {
            return Optional.of(p.reason());
        }
        RustcCall call = (RustcCall) parsed;
        // One remembered answer per binary: whether it is rustc, and whether it is clippy-driver.
        CompilerKinds.Kind kind = new CompilerKinds(store.toolchainMemo()).kind(call.rustc(), inv.env(), inv.cwd());
        if (!kind.answersAsRustc()) {
            if (WrapperLog.isDebug()) {
                WrapperLog.debug(call.rustc() + " is not rustc (its -vV says so): running it unchanged");
            }
            return Optional.of("not rustc");
        }
        if (call.driver().isEmpty() && kind.clippyVersion().isPresent()) {
            // clippy-driver as RUSTC lints like clippy but answers -vV as rustc: its output must never
            // be taken for rustc's, and only the workspace wrapper chain carries its identity.
            return Optional.of(CLIPPY_AS_RUSTC);
        }
        if (bypassed(parsed, settings)) {
            return Optional.of("bypass_crates");
        }
        return Optional.empty();
    }

    /** Whether {@code bypass_crates} names the crate of a cacheable call: it then always compiles. */
    private static boolean bypassed(ParsedCall parsed, WrapperSettings settings) {
        return parsed instanceof RustcCall call && settings.bypassCrates().matches(call.crateName());
    }

    /**
     * The call's arguments, with the compiler found as the call would find it (its PATH, its
     * directory). A workspace wrapper chain, {@code DRIVER RUSTC ARGS…} (cargo's
     * {@code RUSTC_WORKSPACE_WRAPPER} behind kache), is told by its second argument: an executable
     * that is rustc by its {@code -vV}. A normal call's second argument is a flag or a source file,
     * so this costs it nothing or one stat. Only clippy-driver is cached through; any other driver
     * passes through unchanged, for kache cannot know what it does to rustc's output.
     */
    private static ParsedCall parse(Invocation inv, LocalStore store) {
        List<String> args = inv.args();
        Optional<Path> compiler = Executables.find(args.get(0), inv.env(), inv.cwd());
        if (compiler.isEmpty()) {
            return new Passthrough("no executable " + args.get(0));
        }
        if (args.size() > 1 && !args.get(1).startsWith("-") && !args.get(1).endsWith(".rs")) {
            Optional<Path> rustc = Executables.find(args.get(1), inv.env(), inv.cwd());
            CompilerKinds kinds = new CompilerKinds(store.toolchainMemo());
            if (rustc.isPresent() && isPlainRustc(kinds.kind(rustc.get(), inv.env(), inv.cwd()))) {
                if (kinds.clippyVersion(compiler.get(), inv.env(), inv.cwd()).isEmpty()) {
                    return new Passthrough(OTHER_WORKSPACE_WRAPPER);
                }
                ParsedCall inner = RustcArgsParser.parse(rustc.get(), args.subList(2, args.size()), inv.cwd());
                return inner instanceof RustcCall call ? call.withDriver(compiler.get()) : inner;
            }
        }
        return RustcArgsParser.parse(compiler.get(), args.subList(1, args.size()), inv.cwd());
    }

    /** rustc itself: clippy-driver answers -vV as rustc too, but is no rustc a driver can run. */
    private static boolean isPlainRustc(CompilerKinds.Kind kind) {
        return kind.answersAsRustc() && kind.clippyVersion().isEmpty();
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
