package io.kache.core.key;

import io.kache.core.rustc.RustcCall;
import io.kache.core.rustc.ToolchainIdentity;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The cache key recipe, in two steps.
 *
 * <p>The <em>call key</em> covers everything known before compiling: toolchain, target, crate
 * name, types, edition, emit kinds, every output-shaping argument (paths normalized to sentinels),
 * each {@code --extern} by the content hash of its artifact, lint levels (they decide which
 * diagnostics exist and whether the compile fails), the environment that shapes output
 * ({@code CARGO_CFG_*}, {@code RUSTC_BOOTSTRAP} and the others of {@link #KEYED_ENV}), the configured
 * {@code key_env_vars}, the salt, the linker
 * and the variables it reads for calls that link, the crates and native files rustc or the linker
 * may find by search ({@link LinkInputs}) by content, the host's CPU for a {@code native} target CPU
 * ({@link HostCpu}), and a target spec by content. A profile-guided optimization's profile
 * ({@code -C profile-use}) needs nothing here: rustc lists it in the dep-info, so the entry key holds
 * its content as a source's. How diagnostics
 * are rendered ({@code --error-format}, {@code --json}, {@code --color}, {@code --diagnostic-width})
 * and {@code -C incremental} are left out.
 *
 * <p>The <em>entry key</em> adds what the crate read: every source file in its dep-info with its
 * content hash, every {@code env-dep} with its value, and the local directories the outputs turned
 * out to contain ({@link InputSet#roots()}). That key names the stored entry.
 *
 * <p>A call run through a workspace wrapper ({@code cargo clippy}'s clippy-driver) adds the
 * driver's identity and its own inputs ({@link ClippyInputs}) to the call key.
 *
 * <p>Bump {@link #VERSION} whenever anything here changes what goes into a key.
 */
public final class CacheKeyRecipe {

    /** Changes whenever the recipe changes, so old entries are never mistaken for new ones. */
    public static final String VERSION = "kache-key-8";

    /**
     * Variables rustc itself reads that shape its output, rustc's dep-info does not report. Not
     * {@code RUSTFLAGS} or {@code CARGO_ENCODED_RUSTFLAGS}: rustc reads neither, and the flags cargo
     * takes from them reach rustc as arguments, keyed as every argument is. Keying the variables too
     * made a build with {@code --target} miss its build scripts and proc macros whenever they
     * changed, though cargo passes those units none of the flags (checked with cargo 1.95). A
     * compiler that is a script may read them: its environment is keyed with it
     * ({@code ToolchainIdentity.forKey}).
     */
    private static final List<String> KEYED_ENV = List.of("RUSTC_BOOTSTRAP",
            // Changes the crate's identity and every symbol hash.
            "RUSTC_FORCE_RUSTC_VERSION",
            // Where rustc finds a target spec given by name (its content is keyed with the target).
            "RUST_TARGET_PATH",
            // Apple targets: the deployment target and SDK rustc writes into objects and passes the linker.
            "MACOSX_DEPLOYMENT_TARGET", "IPHONEOS_DEPLOYMENT_TARGET", "TVOS_DEPLOYMENT_TARGET",
            "WATCHOS_DEPLOYMENT_TARGET", "XROS_DEPLOYMENT_TARGET", "SDKROOT",
            // The producer string LLVM writes into emitted bitcode, in place of its own.
            "LLVM_OVERRIDE_PRODUCER",
            // The version rustc takes for its own, which #[cfg(version(…))] compares with (found by a hunt).
            ToolchainIdentity.VERSION_OVERRIDE);
    /** The options that make LLVM pick the host's CPU, as the parser keeps them. */
    private static final List<String> NATIVE_CPU = List.of("-Ctarget-cpu=native", "-Ztune-cpu=native");
    /** Variables the C compiler driver and the linker read, for calls that link. */
    private static final List<String> LINKER_ENV = List.of("LIBRARY_PATH", "COMPILER_PATH", "GCC_EXEC_PREFIX",
            "LD_RUN_PATH",
            // rust-lld (the default linker on x86_64 Linux) writes it into the program's .comment section.
            "LLD_VERSION");

    private CacheKeyRecipe() {
    }

    /** The call key: see the class comment. */
    public static String callKey(RustcCall call, KeyContext ctx) throws IOException {
        KeyHasher h = new KeyHasher();
        callKey(call, ctx, h);
        return h.hex();
    }

    /**
     * The call key with the native files and directories it read and the paths where it found none
     * ({@link LinkInputs}): what must be unchanged after the compile for the entry to be stored.
     */
    public static CallKey callKeyRead(RustcCall call, KeyContext ctx) throws IOException {
        KeyHasher h = new KeyHasher();
        LinkInputs read = callKey(call, ctx, h);
        return new CallKey(h.hex(), read.paths());
    }

    /**
     * What went into the call key, part by part ({@link KeyBreakdown}): computed by the very code
     * that composes the key, so the two never drift apart. Only a miss pays for it.
     */
    public static KeyBreakdown callKeyParts(RustcCall call, KeyContext ctx) throws IOException {
        KeyParts parts = new KeyParts();
        callKey(call, ctx, new KeyHasher(parts));
        return parts.breakdown();
    }

    /** What the entry key adds to the call key, part by part: the files and variables the crate read. */
    public static KeyBreakdown inputParts(InputSet inputs) {
        KeyParts parts = new KeyParts();
        inputs.hashInto(new KeyHasher(parts));
        return parts.breakdown();
    }

    /** Composes the call key into {@code h}; the native inputs it read. */
    private static LinkInputs callKey(RustcCall call, KeyContext ctx, KeyHasher h) throws IOException {
        h.field("recipe", VERSION);
        h.field("toolchain", ctx.toolchain());
        h.field("salt", ctx.salt());
        h.field("crate-name", call.crateName());
        h.field("crate-types", String.join(",", call.crateTypes()));
        h.field("emit", String.join(",", call.emitKinds()));
        h.field("target", target(call, ctx));
        h.field("source", ctx.normalizedPath(call.source()));
        h.field("out-dir", ctx.sentinels().normalize(call.outDir().toString()));
        for (String arg : call.keyArgs()) {
            h.field("arg", ctx.sentinels().normalize(arg));
        }
        List<RustcCall.Extern> externs = call.externs().stream()
                .sorted(Comparator.comparing(RustcCall.Extern::name)
                        .thenComparing(e -> e.path().orElse("")))
                .toList();
        for (RustcCall.Extern e : externs) {
            h.field("extern", e.name());
            if (e.path().isPresent()) {
                h.field("extern-sha256", ctx.hasher().sha256(ctx.cwd().resolve(e.path().get())));
            }
        }
        // Native libraries, objects and linker scripts are inputs like source files: keyed by content.
        LinkInputs linkInputs = LinkInputs.hashInto(call, ctx, h);
        hostCpu(call, ctx, h);
        if (call.instrumentsCoverage()) {
            // Compiled without --remap-path-prefix, so its outputs are not those of an older kache's entry.
            h.field("paths", "real");
        }
        Map<String, String> env = new TreeMap<>();
        for (Map.Entry<String, String> e : ctx.env().entrySet()) {
            if (KEYED_ENV.contains(e.getKey()) || e.getKey().startsWith("CARGO_CFG_")) {
                env.put(e.getKey(), ctx.sentinels().normalize(e.getValue()));
            }
        }
        env.forEach((k, v) -> h.field("env", k).field("value", v));
        // key_env_vars: variables a crate reads where rustc does not see it (a proc-macro's env::var).
        ctx.keyedEnv().forEach((k, v) -> h.field("key-env", k)
                .field("value", v.map(x -> "=" + ctx.sentinels().normalize(x)).orElse("unset")));
        if (call.links()) {
            h.field("linker", ctx.linker().orElse("default"));
            for (String name : LINKER_ENV) {
                String value = ctx.env().get(name);
                if (value != null) {
                    h.field("linker-env", name).field("value", ctx.sentinels().normalize(value));
                }
            }
        }
        // A driver in front of rustc (clippy) prints its own diagnostics: its entries are never
        // another compiler's. Only such calls get the field, so rustc's own keys are as before.
        if (call.driver().isPresent() != ctx.driver().isPresent()) {
            throw new IllegalArgumentException("a call run through a driver needs the driver's identity, and only it");
        }
        if (ctx.driver().isPresent()) {
            h.field("driver", ctx.driver().get());
        }
        return linkInputs;
    }

    /**
     * The host's CPU ({@link HostCpu}) for a call whose target CPU is {@code native}: LLVM then emits
     * the instructions of the machine that compiles, and an entry must never reach a machine without
     * them. Other calls do not get the field, so their keys are as before.
     */
    private static void hostCpu(RustcCall call, KeyContext ctx, KeyHasher h) throws UncacheableCallException {
        if (call.keyArgs().stream().noneMatch(NATIVE_CPU::contains)) {
            return;
        }
        h.field("host-cpu", ctx.hostCpu().description().orElseThrow(() -> new UncacheableCallException(
                HostCpu.UNKNOWN, "cannot tell which CPU native means on this machine")));
    }

    /** The entry key: the call key plus everything the crate read. */
    public static String entryKey(String callKey, InputSet inputs) {
        KeyHasher h = new KeyHasher();
        h.field("recipe", VERSION);
        h.field("call-key", callKey);
        inputs.hashInto(h);
        return h.hex();
    }

    /**
     * A JSON target spec is keyed by its file name and content (rustc takes the target triple from
     * the file stem and records it in the crate's metadata); a built-in target by its name. A spec
     * whose linking or debuginfo kache cannot key leaves the call uncached ({@link TargetSpec}).
     */
    private static String target(RustcCall call, KeyContext ctx) throws IOException {
        if (call.target().isEmpty()) {
            return "host";
        }
        String t = call.target().get();
        Optional<TargetSpec> spec = TargetSpec.of(call, ctx);
        if (spec.isEmpty()) {
            return t;
        }
        spec.get().checkKeyable(call, ctx.cwd());
        String sha = ctx.hasher().sha256(spec.get().path());
        return t.endsWith(".json") ? "spec:" + spec.get().path().getFileName() + ":" + sha : t + ":spec:" + sha;
    }
}
