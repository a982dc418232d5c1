package io.kache.core.wrapper;

import io.kache.api.ArtifactKey;
import io.kache.api.CorruptedEntryException;
import io.kache.core.Invocation;
import io.kache.core.key.CacheKeyRecipe;
import io.kache.core.key.ClippyInputs;
import io.kache.core.key.KeyContext;
import io.kache.core.key.UncacheableCallException;
import io.kache.core.rustc.CompilerKinds;
import io.kache.core.rustc.LinkerIdentity;
import io.kache.core.rustc.PathSentinels;
import io.kache.core.rustc.RustcCall;
import io.kache.core.rustc.SentinelRoots;
import io.kache.core.rustc.ToolchainIdentity;
import io.kache.core.store.KeyLock;
import io.kache.core.store.CallKeyIndex;
import io.kache.core.store.LocalStore;
import io.kache.core.writeback.UploaderLauncher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One cacheable rustc call: compute the call key, serve a hit, or compile under the call key's lock
 * and store what rustc produced. Errors before rustc runs fall back to running it unchanged; errors
 * after it ran only cost the entry.
 */
final class CachedCompile {

    private final RustcCall call;
    private final Invocation inv;
    private final WrapperSettings settings;
    private final LocalStore store;
    private final PathSentinels sentinels;
    private final CallKeyIndex manifests;

    CachedCompile(RustcCall call, Invocation inv, WrapperSettings settings, LocalStore store) {
        this.call = call;
        this.inv = inv;
        this.settings = settings;
        this.store = store;
        this.sentinels = SentinelRoots.forCall(call, inv.env(), inv.cwd());
        this.manifests = store.callKeyIndex();
    }

    int run() {
        KeyContext ctx;
        String callKey;
        try {
            ctx = context();
            callKey = CacheKeyRecipe.callKey(call, ctx);
            Optional<Integer> hit = firstLookup(callKey, ctx);
            if (hit.isPresent()) {
                return hit.get();
            }
        } catch (UncacheableCallException e) {
            WrapperLog.debug(call.crateName() + ": " + e.getMessage());
            return RustcWrapper.passthrough(inv.args(), inv, store, e.reason());
        } catch (IOException | RuntimeException e) {
            WrapperLog.warn("cache lookup for " + call.crateName() + " failed (" + e + "); running rustc directly");
            return RustcWrapper.passthrough(inv.args(), inv, store, "kache error");
        }
        KeyLock lock = null;
        try {
            lock = store.lock(new ArtifactKey(call.crateName(), callKey), settings.lockWait());
        } catch (IOException | RuntimeException e) {
            WrapperLog.debug("no lock for " + call.crateName() + ": " + e);
        }
        boolean lockHandedOn = false;
        try {
            // Another process may have stored the entry while this one waited for the lock.
            Optional<Integer> hit = lock != null ? hitOrEmpty(callKey, ctx) : Optional.empty();
            if (hit.isEmpty() && new RemoteReadThrough(call, inv, settings, store, manifests).fetch(callKey, ctx)) {
                hit = hitOrEmpty(callKey, ctx);
            }
            if (hit.isPresent()) {
                return hit.get();
            }
            Compiled compiled = compileAndStore(callKey, ctx, lock);
            lockHandedOn = compiled.lockHandedOn();
            return compiled.exitCode();
        } finally {
            if (lock != null && !lockHandedOn) {
                unlock(lock);
            }
        }
    }

    /** rustc's exit code, and whether the key lock went on to a background store, which releases it. */
    private record Compiled(int exitCode, boolean lockHandedOn) {
    }

    private static void unlock(KeyLock lock) {
        try {
            lock.close();
        } catch (IOException | RuntimeException e) {
            WrapperLog.debug("unlock failed: " + e);
        }
    }

    /**
     * The hit before the lock. A damaged entry (a blob that no longer matches its hash) was dropped
     * by the store, nothing of it restored: said once, and this call compiles and stores afresh,
     * which heals the store.
     */
    private Optional<Integer> firstLookup(String callKey, KeyContext ctx) throws IOException {
        try {
            return new HitReplay(call, inv, store, manifests, sentinels).tryHit(callKey, ctx);
        } catch (CorruptedEntryException e) {
            WrapperLog.warn(call.crateName() + ": " + e.getMessage() + "; compiling it instead");
            return Optional.empty();
        }
    }

    /** A hit served now, or empty; a failure here only means "compile". */
    private Optional<Integer> hitOrEmpty(String callKey, KeyContext ctx) {
        try {
            return new HitReplay(call, inv, store, manifests, sentinels).tryHit(callKey, ctx);
        } catch (IOException | RuntimeException e) {
            WrapperLog.debug("serving " + call.crateName() + " from the cache failed: " + e);
            return Optional.empty();
        }
    }

    private KeyContext context() throws IOException {
        String toolchain = new ToolchainIdentity(store.toolchainMemo())
                .banner(call.rustc(), inv.env(), inv.cwd());
        Optional<String> linker = call.links()
                ? Optional.of(LinkerIdentity.of(call.linker(), inv.env(), inv.cwd(), store.hashes()::sha256))
                : Optional.empty();
        KeyContext ctx = new KeyContext(toolchain, sentinels, inv.env(), inv.cwd(), settings.keySalt(), linker,
                store.hashes()::sha256, settings.keyEnvVars().select(call.crateName(), inv.env()));
        if (call.driver().isEmpty()) {
            return ctx;
        }
        // Only clippy-driver is parsed as a driver; asked again here from its memo, not trusted by name.
        String version = new CompilerKinds(store.toolchainMemo())
                .clippyVersion(call.driver().get(), inv.env(), inv.cwd())
                .orElseThrow(() -> new UncacheableCallException("workspace wrapper is no longer clippy-driver",
                        "workspace wrapper " + call.driver().get() + " no longer answers as clippy-driver"));
        // The driver is the compiler that runs (clippy-driver links rustc's own driver): its banner
        // too, remembered per binary, in case it is of another toolchain than the rustc it is given.
        String banner = new ToolchainIdentity(store.toolchainMemo())
                .banner(call.driver().get(), inv.env(), inv.cwd());
        return ctx.withDriver(ClippyInputs.describe(version + "\n" + banner, inv.env(), inv.cwd(), sentinels,
                store.hashes()::sha256));
    }

    private Compiled compileAndStore(String callKey, KeyContext ctx, KeyLock lock) {
        store.recordMiss();
        List<String> command = new ArrayList<>();
        command.addAll(call.program());
        command.addAll(call.execArgs());
        command.addAll(sentinels.remapArgs());
        long startedNanos = System.currentTimeMillis() * 1_000_000L;
        RustcProcess.Result result;
        try {
            result = RustcProcess.compile(command, inv, sentinels::expand);
        } catch (IOException e) {
            WrapperLog.warn("cannot run rustc through kache (" + e.getMessage() + "); running it directly");
            return new Compiled(RustcWrapper.passthrough(inv.args(), inv, null, "spawn failed"), false);
        }
        if (result.exitCode() == 0) {
            try {
                EntryRecorder recorder = new EntryRecorder(call, store, sentinels);
                // Only where this JVM outlives the call (the server's, serving its client's call), and
                // without a write-back: queueing for the uploader stays in the call.
                if (lock != null && inv.descriptorOwner().isPresent() && BackgroundStores.enabled()
                        && !writesBack() && storeLater(recorder, result, callKey, ctx,
                        startedNanos, lock)) {
                    return new Compiled(0, true);
                }
                Optional<ArtifactKey> stored = recorder.record(callKey, ctx, result, startedNanos);
                if (stored.isPresent()) {
                    writeBack(stored.get(), store);
                }
            } catch (IOException | RuntimeException e) {
                WrapperLog.warn("could not store " + call.crateName() + " in the cache: " + e);
            }
        }
        return new Compiled(result.exitCode(), false);
    }

    /**
     * Pins the outputs and leaves storing them to {@link BackgroundStores}, with the key lock, so the
     * unit goes back to cargo now. The outputs are complete (rustc has exited) and stay as they are in
     * the pins whatever cargo does next; what is stored is read from the pins and checked unchanged.
     * False, with nothing left behind, when the outputs cannot be pinned or the work not started:
     * the caller then stores at once.
     */
    private boolean storeLater(EntryRecorder recorder, RustcProcess.Result result, String callKey, KeyContext ctx,
                               long startedNanos, KeyLock lock) throws IOException {
        Optional<EntryRecorder.Captured> captured = recorder.capture(result, true);
        if (captured.isEmpty() || !captured.get().pinned()) {
            if (captured.isPresent()) {
                captured.get().close();
            }
            return false;
        }
        EntryRecorder.Captured c = captured.get();
        Path root = store.root();
        long maxSize = store.maxSizeBytes();
        boolean submitted = BackgroundStores.submit(() -> {
            // Its own handle on the store: the call's is closed once the call is answered.
            try (c; LocalStore later = LocalStore.open(root, maxSize)) {
                c.store(later, callKey, ctx.withHasher(later.hashes()::sha256), startedNanos);
            } catch (IOException | RuntimeException e) {
                WrapperLog.warn("could not store " + call.crateName() + " in the cache: " + e);
            } finally {
                unlock(lock);
            }
        });
        if (!submitted) {
            c.close();
        }
        return submitted;
    }

    /** Whether new entries are queued for a remote. */
    private boolean writesBack() {
        return settings.remote().isPresent() && !settings.remote().get().readOnly();
    }

    /** Queues a new entry for the remote and makes sure an uploader will send it. */
    private void writeBack(ArtifactKey key, LocalStore store) throws IOException {
        if (!writesBack()) {
            return;
        }
        store.pendingUploads().add(key);
        // A remote that just failed would fail the uploader too: the entry waits for `kache sync --push`.
        if (!store.remoteHealth().recentlyFailed()) {
            UploaderLauncher.ensureRunning(inv, store);
        }
    }

}
