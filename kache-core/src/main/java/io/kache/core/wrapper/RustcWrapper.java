package io.kache.core.wrapper;

import io.kache.core.Invocation;
import io.kache.core.config.ConfigLoader;
import io.kache.core.rustc.CompilerKinds;
import io.kache.core.rustc.Executables;
import io.kache.core.rustc.ParsedCall;
import io.kache.core.rustc.Passthrough;
import io.kache.core.rustc.RustcArgsParser;
import io.kache.core.rustc.RustcCall;
import io.kache.core.rustc.SentinelRoots;
import io.kache.core.rustc.ToolchainQuery;
import io.kache.core.server.ServerDirectory;
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

    /** The reason of a call declined because kache is disabled: nothing is said to the user then. */
    private static final String DISABLED = "KACHE_DISABLED";

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
     * Runs one wrapped call in this JVM, with the configuration of its environment and directory.
     * A broken configuration is reported on stderr and the call runs rustc uncached. The remote the
     * call opens, if any, is closed before this returns.
     *
     * @param inv the call; {@code inv.args()} starts with the compiler
     * @return the exit code to exit with (rustc's)
     */
    public static int run(Invocation inv) {
        return run(inv, OpenRemotes.PROVIDERS);
    }

    /** {@link #run(Invocation)}, with remotes opened by {@code opener} (a test's, to see them closed). */
    static int run(Invocation inv, OpenRemotes.Opener opener) {
        if (WrapperLog.asked(inv.env())) {
            WrapperLog.logForJvm(inv);
        }
        try (OpenRemotes remotes = new OpenRemotes(opener)) {
            CallOutcome outcome = prepare(inv, remotes);
            if (!(outcome instanceof CallOutcome.Decline d && d.reason().equals(DISABLED))) {
                sayWhyNoServer(inv);
            }
            return act(inv, outcome);
        }
    }

    /**
     * A server directory kache-client refuses makes every call of every build start a JVM, a
     * second each, with nothing else to show for it: the user is told once per build. Here, in the
     * JVM wrapper, where those calls end up; a lstat, against a JVM's start.
     */
    private static void sayWhyNoServer(Invocation inv) {
        String noServer = inv.env().get("KACHE_NO_SERVER");
        if (noServer != null && !noServer.isEmpty() && !noServer.equals("0")) {
            return; // the user's choice (0 means the server, as kache-client reads it)
        }
        long uid = new com.sun.security.auth.module.UnixSystem().getUid();
        ServerDirectory.refusal(inv.env(), uid).ifPresent(why -> UserNotices.warn(inv, UserNotices.Topic.SERVER,
                why + "; no kache server is used, so every rustc call starts a JVM of its own (about a second)"));
    }

    /** What the JVM wrapper does with a prepared call. */
    private static int act(Invocation inv, CallOutcome outcome) {
        if (outcome instanceof CallOutcome.Cacheable cacheable) {
            return cacheable.run();
        }
        if (outcome instanceof CallOutcome.Answered answered) {
            return answered.answer(inv);
        }
        if (outcome instanceof CallOutcome.Decline decline) {
            // Said through UserNotices, never on rustc's stderr, which cargo would replay.
            decline.notice().ifPresent(notice -> UserNotices.warn(inv, decline.topic(), notice));
            return RustcProcess.passthrough(inv, decline.reason());
        }
        return RustcProcess.passthrough(inv, ((CallOutcome.PassThrough) outcome).reason());
    }

    /**
     * The setup of every wrapped call, in a JVM of its own or in the kache server: loads the
     * configuration of the call's environment and build ({@link BuildConfigSearch}), opens the
     * local store, and parses the call. Writes nothing to the call's streams and runs nothing but
     * the compiler's probes; a passthrough is counted in the store here.
     *
     * @param inv the call; {@code inv.args()} starts with the compiler
     * @param remotes the remotes of whoever serves the call, for a cacheable call to read through
     * @return what to do with the call; a {@link CallOutcome.Cacheable} holds the store open
     */
    public static CallOutcome prepare(Invocation inv, OpenRemotes remotes) {
        WrapperSettings settings;
        try {
            settings = buildSettings(inv);
        } catch (RuntimeException e) {
            String notice = e.getMessage() + "; running rustc without the cache";
            debugDecline(inv, e);
            return new CallOutcome.Decline("configuration error", Optional.of(notice), UserNotices.Topic.CONFIG);
        }
        if (settings.disabled()) {
            return new CallOutcome.Decline(DISABLED);
        }
        if (inv.args().isEmpty()) {
            return new CallOutcome.Decline("no compiler");
        }
        if (remotes.opensAhead() && settings.remote().isPresent()) {
            // The server's remote opens from the first call on (cargo's -vV probes come first),
            // in the background, so that no call's remote_deadline pays for it.
            remotes.openAhead(WrappedCall.remoteSettings(settings, inv));
        }
        LocalStore store;
        try {
            store = LocalStore.open(settings.storeRoot(), settings.maxSize());
        } catch (IOException | RuntimeException e) {
            debugDecline(inv, e);
            return new CallOutcome.Decline("store unavailable", Optional.of("cannot open the local store "
                    + settings.storeRoot() + ": " + e.getMessage() + "; running rustc directly"), UserNotices.Topic.STORE);
        }
        boolean handedOver = false;
        try {
            // After the store opened: what each binary is is remembered in it.
            ParsedCall parsed = parse(inv, store);
            Optional<String> unchanged = passthroughReason(parsed, inv, settings, store);
            if (unchanged.isPresent()) {
                store.recordPassthrough(unchanged.get());
                CallNote.passthrough(parsed, inv, store, unchanged.get());
                Optional<String> banner = BannerAnswer.of(inv, store.toolchainMemo());
                if (banner.isPresent()) {
                    return new CallOutcome.Answered(banner.get(), unchanged.get());
                }
                Optional<TargetInfoAnswer> probe = TargetInfoAnswer.of(inv, store.toolchainMemo());
                Optional<String> targetInfo = probe.flatMap(TargetInfoAnswer::remembered);
                if (targetInfo.isPresent()) {
                    return new CallOutcome.Answered(targetInfo.get(), unchanged.get());
                }
                probe.ifPresent(TargetInfoAnswer::rememberInBackground);
                return new CallOutcome.PassThrough(unchanged.get());
            }
            RustcCall call = (RustcCall) parsed;
            WrappedCall wrapped = new WrappedCall(call, inv, settings, store,
                    SentinelRoots.forCall(call, inv.env(), inv.cwd()), remotes);
            // In the server, a fresh runner's build is prefetched from its first call on, not its first miss.
            remotes.prefetcher().ifPresent(p -> p.startIfStoreEmpty(wrapped));
            CallOutcome cacheable = new CallOutcome.Cacheable(wrapped);
            handedOver = true;
            return cacheable;
        } catch (ToolchainQuery.NoScratchException e) {
            // kache could not ask the compiler what it is (its answer had nowhere to go: a full disk).
            // That is kache's failure, said once per build, not the compiler's answer "not rustc".
            // Said here and handed back at once: a server's decline would start a JVM per call to say it.
            debugDecline(inv, e);
            UserNotices.warn(inv, UserNotices.Topic.STORE, "could not ask " + inv.args().get(0)
                    + " whether it is rustc (" + e.getMessage() + "); running it without the cache");
            return new CallOutcome.PassThrough("compiler not asked: nowhere to keep its answer");
        } finally {
            if (!handedOver) {
                closeQuietly(store);
            }
        }
    }

    /** The reason counted for a call the server hands back for a field that is not UTF-8. */
    public static final String NOT_UTF8 = "a variable or argument is not valid UTF-8: handed back by the server";

    /**
     * A call the server hands back because {@code field} is not valid UTF-8 ({@link
     * io.kache.core.server.KacheServer}): Java cannot pass such a value on as it is, so the client
     * runs rustc unchanged. A stray byte in one variable leaves every call of the build uncached,
     * so it is counted with the passthroughs and said once per build, naming the field, never its
     * value.
     */
    public static void handedBackNotUtf8(Invocation inv, String field) {
        WrapperSettings settings;
        try {
            settings = buildSettings(inv);
        } catch (RuntimeException e) {
            debugDecline(inv, e);
            return; // the client's own wrapper says what is wrong with the configuration
        }
        if (settings.disabled()) {
            return;
        }
        UserNotices.warn(inv, UserNotices.Topic.SERVER, field + " is not valid UTF-8, which kache's server cannot"
                + " pass on to rustc as it is; rustc runs without the cache while it is set");
        try (LocalStore store = LocalStore.open(settings.storeRoot(), settings.maxSize())) {
            store.recordPassthrough(NOT_UTF8);
        } catch (IOException | RuntimeException e) {
            debugDecline(inv, e);
        }
    }

    /** The settings of {@code inv}'s build: a dependency outside the workspace runs in its own directory. */
    private static WrapperSettings buildSettings(Invocation inv) {
        return WrapperSettings.of(ConfigLoader.load(inv.env(), inv.cwd(), BuildConfigSearch.of(inv)));
    }

    private static void debugDecline(Invocation inv, Exception e) {
        if (WrapperLog.isDebug()) {
            WrapperLog.debug("kache leaves " + inv.args() + " uncached: " + e);
        }
    }

    /** Why a parsed call runs unchanged, or empty when it is cached. */
    private static Optional<String> passthroughReason(ParsedCall parsed, Invocation inv, WrapperSettings settings,
                                                      LocalStore store) throws ToolchainQuery.NoScratchException {
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
    private static ParsedCall parse(Invocation inv, LocalStore store) throws ToolchainQuery.NoScratchException {
        List<String> args = inv.args();
        Optional<Path> compiler = Executables.find(args.get(0), inv.env(), inv.cwd());
        if (compiler.isEmpty()) {
            return new Passthrough("no executable " + args.get(0));
        }
        if (mayBeWrapperChain(args)) {
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

    /** Whether {@code args} may be {@code DRIVER RUSTC ARGS…}: its second argument is neither a flag nor a source. */
    static boolean mayBeWrapperChain(List<String> args) {
        return args.size() > 1 && !args.get(1).startsWith("-") && !args.get(1).endsWith(".rs");
    }

    /** rustc itself: clippy-driver answers -vV as rustc too, but is no rustc a driver can run. */
    private static boolean isPlainRustc(CompilerKinds.Kind kind) {
        return kind.answersAsRustc() && kind.clippyVersion().isEmpty();
    }

    static void closeQuietly(LocalStore store) {
        try {
            store.close();
        } catch (IOException | RuntimeException e) {
            WrapperLog.debug("closing the local store failed: " + e.getMessage());
        }
    }
}
