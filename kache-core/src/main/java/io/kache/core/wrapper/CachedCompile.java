package io.kache.core.wrapper;

import io.kache.api.ArtifactKey;
import io.kache.api.CorruptedEntryException;
import io.kache.core.Invocation;
import io.kache.core.hash.FileClock;
import io.kache.core.journal.BuildId;
import io.kache.core.key.CacheKeyRecipe;
import io.kache.core.key.CallKey;
import io.kache.core.key.ClippyCargoLints;
import io.kache.core.key.ClippyInputs;
import io.kache.core.key.KeyContext;
import io.kache.core.key.UncacheableCallException;
import io.kache.core.rustc.CompilerKinds;
import io.kache.core.rustc.LinkerIdentity;
import io.kache.core.rustc.LinkerPrograms;
import io.kache.core.rustc.PathSentinels;
import io.kache.core.rustc.RustcCall;
import io.kache.core.rustc.ToolchainIdentity;
import io.kache.core.store.KeyLock;
import io.kache.core.store.LocalStore;
import io.kache.core.store.RemoteHealth;
import io.kache.core.remote.RemoteDestination;
import io.kache.core.writeback.UploaderLauncher;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One cacheable rustc call: compute the call key, serve a hit, or compile under the call key's lock
 * and store what rustc produced. Errors before rustc runs fall back to running it unchanged; errors
 * after it ran only cost the entry.
 */
final class CachedCompile {

    /** The exit code of a compile stopped with its build, which nobody reads: as a shell's for SIGINT. */
    private static final int STOPPED = 130;

    private final WrappedCall call;
    private final RustcCall rustc;
    private final Invocation inv;
    private final LocalStore store;
    private final PathSentinels sentinels;
    /** What this call did, for the build journal: gathered as it runs, written once when it is over. */
    private final CallNote note = new CallNote();
    /** The toolchain's {@code -vV}, once the key context is known. */
    private String toolchainBanner = "";
    /** The build this call belongs to, once a local miss started (or joined) its prefetch. */
    private String prefetchedBuild;
    /** Whether a background store writes this call's journal line (exactly one line per call). */
    private boolean journalHandedOn;
    /** clippy-driver's identity, for a call run through it, once the key context is known. */
    private Optional<String> driverIdentity = Optional.empty();

    CachedCompile(WrappedCall call) {
        this.call = call;
        // The parts every step reads, named once.
        this.rustc = call.rustc();
        this.inv = call.inv();
        this.store = call.store();
        this.sentinels = call.sentinels();
    }

    /** Runs the call, then notes what it did in the build journal. */
    int run() {
        int exit = compile();
        if (!journalHandedOn) {
            note.write(rustc, inv, store);
        }
        return exit;
    }

    private int compile() {
        KeyContext ctx;
        String callKey;
        try {
            ctx = context();
            callKey = CacheKeyRecipe.callKey(rustc, ctx);
            Optional<Integer> hit = firstLookup(callKey, ctx);
            if (hit.isPresent()) {
                return hit.get();
            }
            startPrefetch();
        } catch (UncacheableCallException e) {
            WrapperLog.debug(rustc.crateName() + ": " + e.getMessage());
            note.passthrough(e.reason());
            return call.passThrough(e.reason());
        } catch (IOException | RuntimeException e) {
            call.notice(UserNotices.Topic.KACHE_ERROR, "cache lookup for " + rustc.crateName() + " failed (" + e + "); running rustc directly");
            note.error("lookup failed: " + e.getClass().getSimpleName());
            return call.passThrough("kache error");
        }
        KeyLock lock = null;
        try {
            lock = store.lock(new ArtifactKey(rustc.crateName(), callKey), call.settings().lockWait());
        } catch (IOException | RuntimeException e) {
            WrapperLog.debug("no lock for " + rustc.crateName() + ": " + e);
        }
        boolean lockHandedOn = false;
        try {
            // Another process may have stored the entry while this one waited for the lock.
            Optional<Integer> hit = lock != null ? hitOrEmpty(callKey, ctx) : Optional.empty();
            if (hit.isEmpty()) {
                hit = awaitPrefetch(() -> hitOrEmpty(callKey, ctx));
            }
            if (hit.isEmpty() && !waitedOutForRecord() && new RemoteReadThrough(call).fetch(callKey, ctx)) {
                note.fetched();
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
            return new HitReplay(call).tryHit(callKey, ctx, note);
        } catch (CorruptedEntryException e) {
            call.notice(UserNotices.Topic.CORRUPTION, rustc.crateName() + ": " + e.getMessage() + "; compiling it instead");
            return Optional.empty();
        }
    }

    /** A hit served now, or empty; a failure here only means "compile". */
    private Optional<Integer> hitOrEmpty(String callKey, KeyContext ctx) {
        try {
            return new HitReplay(call).tryHit(callKey, ctx, note);
        } catch (IOException | RuntimeException e) {
            WrapperLog.debug("serving " + rustc.crateName() + " from the cache failed: " + e);
            return Optional.empty();
        }
    }

    /**
     * At a local miss in the server, with a remote: starts the prefetch of this call's build, unless
     * it was started by an earlier miss of the same build. Returns at once.
     */
    private void startPrefetch() {
        Optional<BuildPrefetcher> prefetcher = call.remotes().prefetcher();
        if (prefetcher.isEmpty() || call.settings().remote().isEmpty()
                || store.remoteHealth(call.settings().remoteDestination().orElseThrow()).recentlyFailed()) {
            return;
        }
        prefetchedBuild = BuildId.of(inv.descriptorOwner(), inv.env());
        prefetcher.get().start(BuildPrefetcher.Job.of(call, toolchainBanner, prefetchedBuild));
    }

    /**
     * The hit {@code lookup} finds once this call's entry arrives, waiting within {@code remote_deadline}
     * if its build's prefetch has the crate's entries in flight; empty when nothing is prefetched.
     */
    private Optional<Integer> awaitPrefetch(Supplier<Optional<Integer>> lookup) {
        Optional<BuildPrefetcher> prefetcher = call.remotes().prefetcher();
        if (prefetchedBuild == null || prefetcher.isEmpty()) {
            return Optional.empty();
        }
        return prefetcher.get().await(prefetchedBuild, rustc.crateName(), call.settings().remoteDeadline(), lookup);
    }

    /** What the call note keeps of an entry stored: its key, and whether it gained this call's rendering. */
    private void noteStored(EntryRecorder.Stored stored) {
        note.stored(stored.key().cacheKey());
        if (stored.renderingAdded()) {
            note.renderingAdded();
        }
    }

    /**
     * Whether this call already spent its {@code remote_deadline} waiting for its build's record, which
     * has still not come: it then compiles, so that a silent remote costs a call one deadline, not two.
     */
    private boolean waitedOutForRecord() {
        Optional<BuildPrefetcher> prefetcher = call.remotes().prefetcher();
        if (prefetchedBuild == null || prefetcher.isEmpty() || !prefetcher.get().planPending(prefetchedBuild)) {
            return false;
        }
        call.notice(UserNotices.Topic.REMOTE, "no answer within " + call.settings().remoteDeadline().toMillis()
                + " ms for this build's record from the remote; compiling what the local store lacks");
        return true;
    }

    private KeyContext context() throws IOException {
        ToolchainIdentity identity = new ToolchainIdentity(store.toolchainMemo());
        ToolchainIdentity.Keyed toolchain = identity.forKey(rustc.rustc(), inv.env(), inv.cwd(),
                store.hashes()::sha256, sentinels::normalize);
        toolchainBanner = toolchain.banner();
        note.toolchain(toolchain.banner());
        Optional<String> linker = rustc.links() ? Optional.of(linkerIdentity()) : Optional.empty();
        KeyContext ctx = new KeyContext(toolchain.identity(), sentinels, inv.env(), inv.cwd(),
                call.settings().keySalt(), linker, store.hashes()::sha256,
                call.settings().keyEnvVars().select(rustc.crateName(), inv.env()));
        if (rustc.driver().isEmpty()) {
            return ctx;
        }
        Optional<String> cargoLints = ClippyCargoLints.enabledBy(rustc.execArgs(), inv.env(),
                inv.cwd().resolve(rustc.source()));
        if (cargoLints.isPresent()) {
            throw new UncacheableCallException(ClippyCargoLints.REASON, cargoLints.get());
        }
        // Only clippy-driver is parsed as a driver; asked again here from its memo, not trusted by name.
        String version = new CompilerKinds(store.toolchainMemo())
                .clippyVersion(rustc.driver().get(), inv.env(), inv.cwd())
                .orElseThrow(() -> new UncacheableCallException("workspace wrapper is no longer clippy-driver",
                        "workspace wrapper " + rustc.driver().get() + " no longer answers as clippy-driver"));
        // The driver is the compiler that runs (clippy-driver links rustc's own driver): its identity
        // too (banner, remembered per binary, and content), in case it is of another toolchain than
        // the rustc it is given.
        String driver = identity.forKey(rustc.driver().get(), inv.env(), inv.cwd(), store.hashes()::sha256,
                sentinels::normalize).identity();
        driverIdentity = Optional.of(version + "\n" + driver);
        return ctx.withDriver(ClippyInputs.describe(driverIdentity.get(), inv.env(), inv.cwd(), sentinels,
                store.hashes()::sha256));
    }

    private String linkerIdentity() throws IOException {
        try {
            return LinkerIdentity.of(rustc.linker(), rustc.linkArgs(), inv.env(), inv.cwd(), store.hashes()::sha256,
                    sentinels::normalize, new LinkerPrograms(store.toolchainMemo()));
        } catch (LinkerIdentity.UnnamedLinkerException e) {
            throw new UncacheableCallException("linker driver does not name the linker", e.getMessage());
        }
    }

    private Compiled compileAndStore(String callKey, KeyContext ctx, KeyLock lock) {
        store.recordMiss();
        List<String> command = new ArrayList<>();
        command.addAll(rustc.program());
        command.addAll(rustc.execArgs());
        if (!rustc.instrumentsCoverage()) {
            // A coverage map must name the real sources for a report to open them; such an entry is
            // bound to the checkout instead (EntryRecorder).
            command.addAll(sentinels.remapArgs());
        }
        // What the inputs' times are compared with once rustc is done: the file clock, not the wall clock.
        long startStampNanos = FileClock.now(store.newTemp("started"));
        // The call key was computed before that stamp, and the checks after the compile compare with
        // the stamp only: a native input written in between (during a lock wait or a remote fetch) is
        // what rustc reads but not what the key holds. Computed again now, the key must be the same,
        // and what it read then is what the checks after the compile look at.
        Optional<CallKey> keyAtStart = keyStillHolds(callKey, ctx);
        long startedMillis = System.currentTimeMillis();
        RustcProcess.Result result;
        try {
            result = RustcProcess.compile(command, inv, sentinels::expand);
        } catch (InterruptedIOException e) {
            // Stopped (the server's client is gone): rustc is killed, and its outputs are no entry.
            // The interruption has done its work; the bookkeeping left (the lock, the journal line) is done in full.
            Thread.interrupted();
            WrapperLog.debug(rustc.crateName() + ": " + e.getMessage());
            note.error("stopped: the build is gone");
            return new Compiled(STOPPED, false);
        } catch (IOException e) {
            call.notice(UserNotices.Topic.KACHE_ERROR, "cannot run rustc through kache (" + e.getMessage() + "); running it directly");
            note.error("spawn failed");
            // Not counted as a passthrough: it was counted as the miss it is.
            return new Compiled(RustcProcess.passthrough(inv, "spawn failed"), false);
        }
        long compileMillis = System.currentTimeMillis() - startedMillis;
        note.compiled(compileMillis);
        Optional<EntryRecorder.Stored> stored = Optional.empty();
        if (result.exitCode() == 0 && keyAtStart.isEmpty()) {
            WrapperLog.debug("not cached: an input of " + rustc.crateName() + "'s key changed before rustc started");
        } else if (result.exitCode() == 0) {
            try {
                EntryRecorder recorder = new EntryRecorder(call);
                // Only where this JVM outlives the call (the server's, serving its client's call), and
                // without a write-back: queueing for the uploader stays in the call.
                // Not for check-only calls (--emit without link): once cargo has such a unit back it
                // changes its .rmeta in place (seen with cargo check and clippy), the pin check then
                // refuses it and the entry is never stored. They are stored before the answer.
                if (lock != null && inv.descriptorOwner().isPresent() && BackgroundStores.enabled()
                        && rustc.emitKinds().contains("link")
                        && !writesBack() && storeLater(recorder, result, keyAtStart.get(), ctx,
                        startStampNanos, compileMillis, lock)) {
                    return new Compiled(0, true);
                }
                stored = recorder.record(keyAtStart.get(), ctx, result, startStampNanos, compileMillis);
                if (stored.isPresent()) {
                    noteStored(stored.get());
                    writeBack(stored.get().key());
                }
            } catch (IOException | RuntimeException e) {
                call.notice(UserNotices.Topic.STORE, "could not store " + rustc.crateName() + " in the cache: " + e);
            }
        }
        MissRecorder.record(store, rustc, ctx, callKey, stored, note.unused());
        return new Compiled(result.exitCode(), false);
    }

    /**
     * {@code callKey} with what it read now, if it is still the call's key (no input it holds changed
     * since it was computed); empty if not.
     */
    private Optional<CallKey> keyStillHolds(String callKey, KeyContext ctx) {
        try {
            if (driverIdentity.isEmpty()) {
                CallKey now = CacheKeyRecipe.callKeyRead(rustc, ctx);
                return now.key().equals(callKey) ? Optional.of(now) : Optional.empty();
            }
            // clippy's configuration was read with the context, before the stamp: looked up again too.
            ClippyInputs.Described clippy = ClippyInputs.lookup(driverIdentity.get(), inv.env(), inv.cwd(), sentinels,
                    ctx.hasher());
            CallKey now = CacheKeyRecipe.callKeyRead(rustc, ctx.withDriver(clippy.text()));
            if (!now.key().equals(callKey)) {
                return Optional.empty();
            }
            return Optional.of(now.with(clippy.paths()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Pins the outputs and leaves storing them to {@link BackgroundStores}, with the key lock, so the
     * unit goes back to cargo now. The outputs are complete (rustc has exited) and stay as they are in
     * the pins whatever cargo does next; what is stored is read from the pins and checked unchanged.
     * What the call would have done after storing follows the store there, once its entry key is
     * known: the miss's explanation for {@code kache why-miss} and the call's one journal line (the
     * call's own {@link #run} then writes none). False, with nothing left behind, when the outputs
     * cannot be pinned or the work not started: the caller then stores at once.
     */
    private boolean storeLater(EntryRecorder recorder, RustcProcess.Result result, CallKey callKey, KeyContext ctx,
                               long startStampNanos, long compileMillis, KeyLock lock) throws IOException {
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
        // The build the line belongs to is read from the client's process, which may be gone by then.
        note.settleBuild(inv);
        boolean submitted = BackgroundStores.submit(() -> {
            // Its own handle on the store: the call's is closed once the call is answered.
            try (c; LocalStore later = LocalStore.open(root, maxSize)) {
                KeyContext laterCtx = ctx.withHasher(later.hashes()::sha256);
                Optional<EntryRecorder.Stored> stored = Optional.empty();
                try {
                    stored = c.store(later, callKey, laterCtx, startStampNanos, compileMillis);
                    stored.ifPresent(this::noteStored);
                } catch (IOException | RuntimeException e) {
                    call.notice(UserNotices.Topic.STORE, "could not store " + rustc.crateName() + " in the cache: " + e);
                }
                // While the pins still hold: commands that wait for stores in flight then see these too.
                MissRecorder.record(later, rustc, laterCtx, callKey.key(), stored, note.unused());
                note.write(rustc, inv, later);
            } catch (IOException | RuntimeException e) {
                call.notice(UserNotices.Topic.STORE, "could not store " + rustc.crateName() + " in the cache: " + e);
            } finally {
                unlock(lock);
            }
        });
        if (!submitted) {
            c.close();
            return false;
        }
        journalHandedOn = true;
        return true;
    }

    /** Whether new entries are queued for a remote. */
    private boolean writesBack() {
        return call.settings().remote().isPresent() && !call.settings().remote().get().readOnly();
    }

    /** Queues a new entry for the remote and makes sure an uploader will send it. */
    private void writeBack(ArtifactKey key) throws IOException {
        if (!writesBack()) {
            return;
        }
        RemoteDestination to = call.settings().remoteDestination().orElseThrow();
        store.pendingUploads().add(key, to);
        note.queued();
        // A remote that just failed would fail the uploader too: the entry waits for `kache sync --push`.
        if (!store.remoteHealth(to).recentlyFailed()) {
            UploaderLauncher.ensureRunning(inv, call.settings().configFile(), store, to);
        }
        // The uploader has no terminal: a refusal it met is said by the builds whose entries it leaves waiting.
        Optional<RemoteHealth.Refusal> refused = store.remoteHealth(to).writeRefused();
        if (refused.isPresent()) {
            call.notice(UserNotices.Topic.UPLOAD, refusedUploads(refused.get(), store.pendingUploads().list(to).size()));
        }
    }

    /** The notice of a build whose entries wait because the remote refused the uploader's writes. */
    static String refusedUploads(RemoteHealth.Refusal refused, int waiting) {
        String head = "the remote " + (refused.rejected() ? "rejected" : "refused") + " the upload of entries at "
                + java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss")
                .format(refused.at().atZone(java.time.ZoneId.systemDefault()))
                + (refused.why().isEmpty() ? "" : " (" + refused.why() + ")") + "; " + waiting
                + (waiting == 1 ? " entry waits" : " entries wait") + " in the queue for it (kache stats shows them);";
        if (refused.rejected()) {
            return head + " the uploader stopped: fix what the error names (the bucket or endpoint in [cache.remote],"
                    + " a proxy in between) and run kache sync --push";
        }
        return head + " give the credentials write access to it and run kache sync --push, or, if this machine is only"
                + " to read it, set remote_readonly = true in [cache] (KACHE_REMOTE_READONLY=1) so builds stop queueing";
    }

}
