package io.kache.core.wrapper;

import io.kache.core.Invocation;
import io.kache.core.hash.Sha256;
import io.kache.core.rustc.CompilerKinds;
import io.kache.core.rustc.Executables;
import io.kache.core.rustc.ToolchainIdentity;
import io.kache.core.rustc.ToolchainMemo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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
 * <p>The memo is keyed as cargo keys its own cache of the answer, and more tightly: the real binary
 * (path, size, modification time) and its banner, every argument, and every variable of the call's
 * environment that rustc or its loader reads ({@code RUST*}, cargo's wrapper variables aside, and
 * {@code LD_*}). It is only written by the kache server, in the background, from a run of the very
 * same command that exited 0 and printed nothing on stderr, so a build never waits for it. Never
 * answered: a {@code --target} build (a target's spec may be a file or come from {@code
 * RUST_TARGET_PATH}), {@code -C target-cpu=native} or anything else naming {@code native} (the answer
 * would be this machine's CPU), an {@code @argfile}, a rustup proxy (the toolchain is chosen per
 * call), a {@code RUSTC_OVERRIDE_*} environment, or anything but rustc, alone or behind
 * clippy-driver (cargo clippy's workspace wrapper, whose binary and banner are keyed too).
 * Any doubt, or a memo that cannot be read, passes the probe through as before.
 */
final class TargetInfoAnswer {

    /** What marks the probe: its crate name. */
    static final String CRATE = "___";
    private static final String VERSION = "kache-target-info-1";
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);

    private final Invocation inv;
    private final ToolchainMemo memo;
    private final String memoName;

    private TargetInfoAnswer(Invocation inv, ToolchainMemo memo, String memoName) {
        this.inv = inv;
        this.memo = memo;
        this.memoName = memoName;
    }

    /** The probe {@code inv} is, when it is one kache may answer; see the class comment. */
    static Optional<TargetInfoAnswer> of(Invocation inv, ToolchainMemo memo) {
        List<String> args = inv.args();
        // cargo clippy sends it through its workspace wrapper: `clippy-driver RUSTC - --crate-name ___ …`.
        int compilers = args.size() > 1 && !args.get(1).startsWith("-") ? 2 : 1;
        if (args.size() < compilers + 4 || !isProbe(args.subList(compilers, args.size()))
                || inv.env().keySet().stream().anyMatch(k -> k.startsWith("RUSTC_OVERRIDE"))) {
            return Optional.empty();
        }
        try {
            CompilerKinds kinds = new CompilerKinds(memo);
            ToolchainIdentity identity = new ToolchainIdentity(memo);
            StringBuilder stamps = new StringBuilder();
            StringBuilder banners = new StringBuilder();
            for (int i = 0; i < compilers; i++) {
                Optional<Path> binary = Executables.find(args.get(i), inv.env(), inv.cwd());
                if (binary.isEmpty()) {
                    return Optional.empty();
                }
                Path real = binary.get().toRealPath();
                CompilerKinds.Kind kind = kinds.kind(real, inv.env(), inv.cwd());
                // Alone, rustc; in a chain, clippy-driver and then rustc.
                boolean fits = kind.answersAsRustc() && kind.clippyVersion().isPresent() == (compilers == 2 && i == 0);
                if (!fits || ToolchainIdentity.isRustupProxy(real)) {
                    return Optional.empty();
                }
                String banner = identity.banner(real, inv.env(), inv.cwd());
                if (!CompilerKinds.isRustcBanner(banner)) {
                    return Optional.empty();
                }
                stamps.append(ToolchainIdentity.stamp(real));
                banners.append(banner);
            }
            return Optional.of(new TargetInfoAnswer(inv, memo, key(stamps.toString(), banners.toString(),
                    args.subList(compilers, args.size()), inv.env())));
        } catch (IOException | RuntimeException e) {
            WrapperLog.debug("the target-info probe is passed through: " + e.getMessage());
            return Optional.empty();
        }
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

    /** The memo's name: a digest of everything the answer rests on. */
    static String key(String binaryStamp, String banner, List<String> args, Map<String, String> env) {
        StringBuilder sb = new StringBuilder(VERSION).append('\n').append(binaryStamp).append(banner).append('\n');
        for (String a : args) {
            sb.append("arg ").append(a.length()).append(' ').append(a).append('\n');
        }
        Map<String, String> read = new TreeMap<>();
        env.forEach((k, v) -> {
            if ((k.startsWith("RUST") && !k.equals("RUSTC_WRAPPER") && !k.equals("RUSTC_WORKSPACE_WRAPPER"))
                    || k.startsWith("LD_")) {
                read.put(k, v);
            }
        });
        read.forEach((k, v) -> sb.append("env ").append(k).append(' ').append(v.length()).append(' ').append(v).append('\n'));
        return Sha256.of(sb.toString().getBytes(StandardCharsets.UTF_8)) + ".targetinfo";
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
        List<String> command = List.copyOf(inv.args());
        Map<String, String> env = Map.copyOf(inv.env());
        Path cwd = inv.cwd();
        BackgroundStores.submit(() -> {
            Optional<RustcProcess.Result> run = RustcProcess.captured(command, env, cwd, RUN_TIMEOUT);
            if (run.isEmpty() || run.get().exitCode() != 0 || run.get().stderr().length != 0
                    || run.get().stdout().length == 0) {
                return;
            }
            String stdout = new String(run.get().stdout(), StandardCharsets.UTF_8);
            if (!Arrays.equals(stdout.getBytes(StandardCharsets.UTF_8), run.get().stdout())) {
                return;   // not UTF-8: an answer must be these exact bytes
            }
            try {
                memo.write(memoName, stdout);
            } catch (IOException | RuntimeException e) {
                WrapperLog.debug("the target-info probe's answer was not remembered: " + e);
            }
        });
    }
}
