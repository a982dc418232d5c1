package io.kache.core.wrapper;

import io.kache.core.Invocation;
import io.kache.core.journal.BuildDigests;
import io.kache.core.journal.BuildEvent;
import io.kache.core.journal.BuildId;
import io.kache.core.journal.WorkspaceSide;
import io.kache.core.rustc.CargoUnit;
import io.kache.core.rustc.ParsedCall;
import io.kache.core.rustc.RustcCall;
import io.kache.core.store.LocalStore;
import io.kache.core.store.MissRecords;
import java.util.List;
import java.util.Optional;

/**
 * What one wrapper call did, gathered as it runs and appended to the store's build journal once it
 * is over ({@link #write}): one line, one append. Costs the call two small {@code /proc} reads
 * (its build id) and that append; never fails the call.
 */
final class CallNote {

    private BuildEvent.Outcome outcome = BuildEvent.Outcome.MISS;
    private String reason = "";
    private String key = "-";
    private long compileMillis;
    private long bytes;
    private int gets;
    private int puts;
    private String toolchain = "-";
    private String build;
    /** The entry of this call's key that was found and not served, if any: for {@code kache why-miss}. */
    private MissRecords.Unused unused;

    void hit(String entryKey, long bytesRestored, long storedCompileMillis) {
        outcome = BuildEvent.Outcome.HIT;
        key = entryKey;
        bytes = bytesRestored;
        compileMillis = storedCompileMillis;
    }

    /** Notes that the entry of this call's key was found but not served, and why; the first reason stays. */
    void unused(String entryKey, String why) {
        if (unused == null) {
            unused = new MissRecords.Unused(entryKey, why);
        }
    }

    /**
     * Notes that the compile's rendering of its diagnostics was added to the entry it could not use
     * for {@link HitReplay#OTHER_FLAGS}: said with that reason, so {@code kache why-miss} tells it was
     * one miss, not the first of many.
     */
    void renderingAdded() {
        if (unused != null && unused.reason().startsWith(HitReplay.OTHER_FLAGS)) {
            unused = new MissRecords.Unused(unused.entryKey(), HitReplay.OTHER_FLAGS + "; this call's rendering"
                    + " was added to the entry, which now serves these flags too: the next call with them is a hit");
        }
    }

    Optional<MissRecords.Unused> unused() {
        return Optional.ofNullable(unused);
    }

    void compiled(long millis) {
        outcome = BuildEvent.Outcome.MISS;
        compileMillis = millis;
    }

    void stored(String entryKey) {
        outcome = BuildEvent.Outcome.STORED;
        key = entryKey;
    }

    void passthrough(String why) {
        outcome = BuildEvent.Outcome.PASSTHROUGH;
        reason = why;
    }

    void error(String why) {
        outcome = BuildEvent.Outcome.ERROR;
        reason = why;
    }

    void fetched() {
        gets++;
    }

    void queued() {
        puts++;
    }

    void toolchain(String banner) {
        toolchain = BuildDigests.toolchain(banner);
    }

    /**
     * Reads the call's build now, for a line written later: the build is told from the client's
     * process (the server's call), which is gone once its call is answered.
     */
    void settleBuild(Invocation inv) {
        try {
            build = BuildId.of(inv.descriptorOwner(), inv.env());
        } catch (RuntimeException e) {
            WrapperLog.debug("journal: " + e);
        }
    }

    /** Appends this call's line to {@code store}'s journal. Never throws. */
    void write(ParsedCall parsed, Invocation inv, LocalStore store) {
        if (store == null) {
            return;
        }
        try {
            String build = this.build != null ? this.build : BuildId.of(inv.descriptorOwner(), inv.env());
            String flags = BuildDigests.rustflags(inv.env());
            WorkspaceSide ws;
            String crate = "-";
            String features = "-";
            boolean clippy = false;
            // A probe has no crate, but a build script's feature probe still runs with its package set.
            CargoUnit unit = new CargoUnit(inv.env().get("CARGO_PKG_NAME"), CargoUnit.NONE);
            if (parsed instanceof RustcCall call) {
                ws = WorkspaceSide.of(call.outDir(), call.target(), toolchain, flags);
                crate = call.crateName();
                unit = CargoUnit.of(call, inv.env());
                features = features(call);
                // Only clippy-driver is cached through; any other driver passes through (RustcWrapper).
                clippy = call.driver().isPresent() && outcome != BuildEvent.Outcome.PASSTHROUGH;
            } else {
                // A compile kache does not model (cargo rustc -- --emit=asm) still belongs to its build's
                // target dir and crate, for kache report; a probe has neither.
                Optional<String> outDir = valueOf(inv.args(), "--out-dir");
                ws = outDir.isPresent()
                        ? WorkspaceSide.of(inv.cwd().resolve(outDir.get()), valueOf(inv.args(), "--target"), toolchain, flags)
                        : new WorkspaceSide(inv.cwd().toString(), "-", "host", toolchain, flags);
                crate = outDir.isPresent() ? valueOf(inv.args(), "--crate-name").orElse("-") : "-";
            }
            store.journal().append(new BuildEvent(System.currentTimeMillis(), build, ws, crate, unit.kind(), key,
                    outcome, reason, compileMillis, bytes, gets, puts, features, unit.packageName(), clippy));
        } catch (RuntimeException e) {
            WrapperLog.debug("journal: " + e);
        }
    }

    /** The value of {@code --flag VALUE} or {@code --flag=VALUE} in {@code args}, the last one given. */
    private static Optional<String> valueOf(List<String> args, String flag) {
        Optional<String> value = Optional.empty();
        for (int i = 1; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals(flag) && i + 1 < args.size()) {
                value = Optional.of(args.get(++i));
            } else if (a.startsWith(flag + "=")) {
                value = Optional.of(a.substring(flag.length() + 1));
            }
        }
        return value;
    }

    /** Appends one passthrough line for a call kache runs unchanged. Never throws. */
    static void passthrough(ParsedCall parsed, Invocation inv, LocalStore store, String reason) {
        CallNote note = new CallNote();
        note.passthrough(reason);
        note.write(parsed, inv, store);
    }

    /**
     * The call's {@code --cfg feature="…"} values, sorted, joined by commas ({@code -} for none): which
     * features cargo gave the crate, so that a build record tells builds with other features apart.
     */
    static String features(RustcCall call) {
        java.util.TreeSet<String> features = new java.util.TreeSet<>();
        for (String arg : call.keyArgs()) {
            if (arg.startsWith(FEATURE_CFG) && arg.endsWith("\"") && arg.length() > FEATURE_CFG.length() + 1) {
                String name = arg.substring(FEATURE_CFG.length(), arg.length() - 1);
                if (name.indexOf(',') < 0) {
                    features.add(name);
                }
            }
        }
        return features.isEmpty() ? "-" : String.join(",", features);
    }

    private static final String FEATURE_CFG = "--cfg=feature=\"";
}
