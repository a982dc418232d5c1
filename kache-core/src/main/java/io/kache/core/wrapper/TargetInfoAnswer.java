package io.kache.core.wrapper;

import io.kache.core.Invocation;
import io.kache.core.LowPriority;
import io.kache.core.hash.Sha256;
import io.kache.core.rustc.ToolchainIdentity;
import io.kache.core.rustc.ToolchainMemo;
import io.kache.core.rustc.ToolchainQuery;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Answers cargo's target-info probe ({@code rustc - --crate-name ___ --print=file-names … --print=cfg})
 * from a memo instead of starting rustc. cargo asks it once at the start of every build whose
 * {@code target/.rustc_info.json} is gone (after {@code cargo clean}), before any compile: passed
 * through it cost a warm build about 20 ms of its critical path, some 5% of it.
 *
 * <p>The memo is keyed as cargo keys its own cache of the answer, and more tightly: each real binary
 * (path, size, modification time) and its banner, every argument, and every variable of the call's
 * environment the compilers or their loader read ({@link #readByTheCompilers}); for a compiler that
 * is a script ({@code RUSTC=./rustc-shim}), all it may read, as its banner's memo is keyed
 * ({@link ToolchainIdentity#scriptSelection}). It is only written
 * by the kache server, in the background, from a run of the very binaries it is keyed by (found on
 * the call's {@code PATH}) with the same arguments, environment and directory, that exited 0 and
 * printed nothing on stderr, and only while those binaries are unchanged; a build never waits for it. Never
 * answered: a {@code --target} build (a target's spec may be a file or come from {@code
 * RUST_TARGET_PATH}), {@code -C target-cpu=native} or anything else naming {@code native} (the answer
 * would be this machine's CPU), an {@code @argfile}, a rustup proxy (the toolchain is chosen per
 * call), or anything but a {@link CompilerChain}: rustc, or cargo clippy's {@code clippy-driver
 * RUSTC}, whose two binaries and banners are keyed.
 * Any doubt, or a memo that cannot be read or fails its check ({@link ToolchainMemo#read}: a crash
 * can leave it empty, and cargo fails on an empty answer or takes one cut short), passes the probe
 * through as before.
 */
final class TargetInfoAnswer {

    /** What marks the probe: its crate name. */
    static final String CRATE = "___";
    private static final String VERSION = "kache-target-info-1";
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);

    private final Invocation inv;
    private final ToolchainMemo memo;
    private final CompilerChain chain;
    private final List<String> probe;
    private final String stamps;
    private final String memoName;

    private TargetInfoAnswer(Invocation inv, ToolchainMemo memo, CompilerChain chain, List<String> probe,
                             String stamps, String memoName) {
        this.inv = inv;
        this.memo = memo;
        this.chain = chain;
        this.probe = List.copyOf(probe);
        this.stamps = stamps;
        this.memoName = memoName;
    }

    /** The probe {@code inv} is, when it is one kache may answer; see the class comment. */
    static Optional<TargetInfoAnswer> of(Invocation inv, ToolchainMemo memo) {
        List<String> args = inv.args();
        // cargo clippy sends it through its workspace wrapper: `clippy-driver RUSTC - --crate-name ___ …`.
        int compilers = args.size() > 1 && !args.get(1).startsWith("-") ? 2 : 1;
        if (args.size() < compilers + 4 || !isProbe(args.subList(compilers, args.size()))) {
            return Optional.empty();
        }
        try {
            Optional<CompilerChain> chain = CompilerChain.of(inv, compilers, memo);
            if (chain.isEmpty() || chain.get().anyRustupProxy()) {
                return Optional.empty();
            }
            List<String> probe = args.subList(compilers, args.size());
            String stamps = chain.get().stamps();
            return Optional.of(new TargetInfoAnswer(inv, memo, chain.get(), probe, stamps,
                    key(stamps + scriptSelections(chain.get(), inv), String.join("", chain.get().banners()), probe,
                            inv.env())));
        } catch (IOException | RuntimeException e) {
            WrapperLog.debug("the target-info probe is passed through: " + e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * What a script among the compilers may act on besides its text ({@code exec rustc "$@" $SHIM_FLAGS}:
     * a {@code --cfg} the banner never shows, but the answer's cfgs do), keyed as its banner's memo is.
     */
    private static String scriptSelections(CompilerChain chain, Invocation inv) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Path b : chain.binaries()) {
            ToolchainIdentity.scriptSelection(b.toRealPath(), inv.env(), inv.cwd()).ifPresent(sb::append);
        }
        return sb.toString();
    }

    /** Whether {@code args} (after the compiler) are cargo's target-info probe, with nothing that makes its answer vary. */
    static boolean isProbe(List<String> args) {
        boolean stdin = false;
        boolean crate = false;
        boolean prints = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--target") || a.startsWith("--target=") || a.startsWith("@") || a.contains("native")) {
                return false;
            }
            stdin |= a.equals("-");
            crate |= a.equals("--crate-name") && i + 1 < args.size() && args.get(i + 1).equals(CRATE);
            prints |= a.startsWith("--print=") || a.equals("--print");
        }
        return stdin && crate && prints;
    }

    /**
     * The memo's name: a digest of everything the answer rests on.
     *
     * @param compilers each compiler's stamp and, for a script, its selection
     */
    static String key(String compilers, String banners, List<String> args, Map<String, String> env) {
        StringBuilder sb = new StringBuilder(VERSION).append('\n').append(compilers).append(banners).append('\n');
        for (String a : args) {
            sb.append("arg ").append(a.length()).append(' ').append(a).append('\n');
        }
        Map<String, String> read = new TreeMap<>();
        env.forEach((k, v) -> {
            if (readByTheCompilers(k)) {
                read.put(k, v);
            }
        });
        read.forEach((k, v) -> sb.append("env ").append(k).append(' ').append(v.length()).append(' ').append(v).append('\n'));
        return Sha256.of(sb.toString().getBytes(StandardCharsets.UTF_8)) + ".targetinfo";
    }

    /**
     * Whether the compilers or their loader read variable {@code name}: rustc's own ({@code RUST*},
     * but not cargo's wrapper variables), clippy-driver's ({@code CLIPPY_*}, and {@code SYSROOT},
     * which it turns into {@code --sysroot}), the dynamic loader's ({@code LD_*}).
     */
    static boolean readByTheCompilers(String name) {
        return name.startsWith("RUST") && !name.equals("RUSTC_WRAPPER") && !name.equals("RUSTC_WORKSPACE_WRAPPER")
                || name.startsWith("CLIPPY_") || name.equals("SYSROOT") || name.startsWith("LD_");
    }

    /** The remembered stdout of this exact probe, if a run of it was remembered. */
    Optional<String> remembered() {
        try {
            return memo.read(memoName);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Runs the probe once in the background of the kache server and remembers what it printed, for
     * the next build; nothing where no background work runs (a wrapper in a JVM of its own).
     */
    void rememberInBackground() {
        Map<String, String> env = Map.copyOf(inv.env());
        Path cwd = inv.cwd();
        BackgroundStores.submit(() -> {
            // Its answer is for a later build: it must not take the cores of the one running (a fresh
            // CI runner's first build is CPU-bound from its start).
            List<String> lowered = new ArrayList<>(LowPriority.prefix(LowPriority.Level.SPARE));
            lowered.addAll(command());
            ToolchainQuery.Answer run;
            try {
                run = ToolchainQuery.ask(lowered, env, cwd, RUN_TIMEOUT, memo::newTemp);
            } catch (IOException | RuntimeException e) {
                WrapperLog.debug("the target-info probe was not run: " + e);
                return;
            }
            if (!run.succeeded() || run.stderr().length != 0 || run.stdout().length == 0) {
                return;
            }
            String stdout = new String(run.stdout(), StandardCharsets.UTF_8);
            if (!Arrays.equals(stdout.getBytes(StandardCharsets.UTF_8), run.stdout())) {
                return;   // not UTF-8: an answer must be these exact bytes
            }
            try {
                // A toolchain replaced while the probe ran: its answer belongs to neither binary.
                if (!chain.stamps().equals(stamps)) {
                    return;
                }
                memo.write(memoName, stdout);
            } catch (IOException | RuntimeException e) {
                WrapperLog.debug("the target-info probe's answer was not remembered: " + e);
            }
        });
    }

    /**
     * The probe as the key names it: each compiler by the path found on the call's {@code PATH} (the
     * server's own {@code PATH}, which {@code ProcessBuilder} would search for a bare name, may find
     * another toolchain), then the probe's arguments.
     */
    List<String> command() {
        List<String> command = new ArrayList<>();
        for (Path b : chain.binaries()) {
            command.add(b.toString());
        }
        command.addAll(probe);
        return command;
    }
}
