package io.kache.core.wrapper;

import io.kache.api.ArtifactKey;
import io.kache.core.entry.EntryManifest;
import io.kache.core.entry.OutputFile;
import io.kache.core.key.CacheKeyRecipe;
import io.kache.core.key.CallKey;
import io.kache.core.key.InputScanner;
import io.kache.core.key.InputSet;
import io.kache.core.key.KeyContext;
import io.kache.core.rustc.DepInfo;
import io.kache.core.rustc.OutputNames;
import io.kache.core.rustc.PathSentinels;
import io.kache.core.rustc.RustcCall;
import io.kache.core.store.CallKeyIndex;
import io.kache.core.store.LocalStore;
import io.kache.core.store.PinnedOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Stores what a successful compile produced, after checking that it is exactly what kache expects:
 * the predicted output files, no artifact it did not predict, and no input changed while rustc ran
 * (the hashes taken now must be the content rustc read), nor any native input or clippy
 * configuration the call key read before it ran. Outputs that contain a local directory
 * bind the entry to it ({@link EmbeddedRoots}).
 *
 * <p>In two steps, so the kache server can hand the unit back to cargo in between: {@link #capture}
 * takes what must be taken while cargo still waits (the checks, the dep-info, which rustc rewrites in
 * place on its next run, and with pins, a hard link holding each output), {@link Captured#store}
 * does the reading, hashing and publishing, from the pins.
 */
final class EntryRecorder {

    /** rustc's words (jobserver crate, rustc_session) for a jobserver it cannot open. */
    private static final String JOBSERVER_WARNING = "failed to connect to jobserver from environment variable";

    private final RustcCall call;
    private final LocalStore store;
    private final PathSentinels sentinels;

    EntryRecorder(WrappedCall wrapped) {
        this.call = wrapped.rustc();
        this.store = wrapped.store();
        this.sentinels = wrapped.sentinels();
    }

    /**
     * A stored entry: its key, what the crate read, and whether it now serves this call's diagnostic
     * flags through a rendering added to an entry that was there with other flags ({@link LocalStore#put}).
     */
    record Stored(ArtifactKey key, InputSet inputs, boolean renderingAdded) {
    }

    /** Captures and stores at once; the stored entry, or empty when the outputs were not cacheable. */
    Optional<Stored> record(CallKey callKey, KeyContext ctx, RustcProcess.Result result, long startStampNanos,
                            long compileMillis) throws IOException {
        Optional<Captured> captured = capture(result, false);
        if (captured.isEmpty()) {
            return Optional.empty();
        }
        try (Captured c = captured.get()) {
            return c.store(store, callKey, ctx, startStampNanos, compileMillis);
        }
    }

    /**
     * What storing the compile needs, taken now. Empty when the outputs are not cacheable, or when
     * {@code pin} is asked and an output cannot be pinned (the store is on another file system):
     * then {@link #record} stores them at once.
     *
     * @param pin hold each output by a hard link in the store, to be stored after the unit was handed back
     */
    Optional<Captured> capture(RustcProcess.Result result, boolean pin) throws IOException {
        List<String> names = OutputNames.expected(call);
        String depName = call.crateName() + call.extraFilename() + ".d";
        if (!names.contains(depName)) {
            WrapperLog.debug("not cached: no dep-info requested for " + call.crateName());
            return Optional.empty();
        }
        for (String name : names) {
            if (!Files.isRegularFile(call.outDir().resolve(name))) {
                WrapperLog.debug("not cached: rustc did not write " + name);
                return Optional.empty();
            }
        }
        if (saysItsBuildWasGone(result.stderr())) {
            WrapperLog.debug("not cached: rustc could not reach cargo's jobserver, its warning describes this build only");
            return Optional.empty();
        }
        if (namesALongTypeFile(result.stderr())) {
            WrapperLog.debug("not cached: a diagnostic names a long-type file that a hit would not write");
            return Optional.empty();
        }
        StderrCapture stderr = StderrCapture.split(result.stderr(), sentinels);
        Set<String> expectedPaths = new HashSet<>();
        for (String name : names) {
            expectedPaths.add(sentinels.normalize(call.outDir().resolve(name).toString()));
        }
        if (!expectedPaths.containsAll(stderr.artifactPaths())) {
            WrapperLog.debug("not cached: unexpected artifacts " + stderr.artifactPaths());
            return Optional.empty();
        }
        Path depFile = call.outDir().resolve(depName);
        String depText = Files.readString(depFile, StandardCharsets.UTF_8);
        DepInfo depInfo = DepInfo.parse(depText);
        byte[] stdout = sentinels.normalize(new String(result.stdout(), StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8);
        Captured captured = new Captured(call, sentinels, depInfo, stderr, stdout, store.newTemp("dep"));
        boolean complete = false;
        try {
            Files.writeString(captured.normalizedDep, sentinels.normalizeDepInfo(depText), StandardCharsets.UTF_8);
            for (String name : names) {
                Path target = call.outDir().resolve(name);
                if (name.equals(depName)) {
                    captured.outputs.add(new OutputFile(name, captured.normalizedDep));
                    continue;
                }
                OutputFile output = new OutputFile(name, target);
                if (pin) {
                    Optional<PinnedOutput> pinned = store.pin(target);
                    if (pinned.isEmpty()) {
                        return Optional.empty();
                    }
                    captured.pins.add(pinned.get());
                    // The store checks the pin still has this content as it reads it.
                    output = new OutputFile(name, pinned.get().path(), Optional.of(pinned.get().identity()));
                }
                captured.outputs.add(output);
                captured.produced.add(output.source());
            }
            complete = true;
            return Optional.of(captured);
        } finally {
            if (!complete) {
                captured.close();
            }
        }
    }

    /**
     * Whether rustc warned that it could not reach cargo's jobserver. It does when the build that ran it
     * is gone (cargo interrupted while the server was starting the compile: the pipe it names through
     * {@code /proc/PID/fd} left with cargo), then compiles anyway. The outputs are right, but the
     * warning names that build's pipe: stored, it was replayed on every later hit of the entry, and
     * cargo repeated it on every no-op build.
     */
    static boolean saysItsBuildWasGone(byte[] stderr) {
        return new String(stderr, StandardCharsets.UTF_8).contains(JOBSERVER_WARNING);
    }

    /**
     * Whether a diagnostic says rustc wrote a type's full name to a file beside the outputs
     * ({@code the full name for the type has been written to 'deps/app-HASH.long-type-N.txt'}, on
     * stable for a long type in a warning). That file is no output kache restores: replayed, the
     * note named a file that was not there (found by a hunt), so such a compile is not stored.
     */
    static boolean namesALongTypeFile(byte[] stderr) {
        String text = new String(stderr, StandardCharsets.UTF_8);
        return text.contains(".long-type-") && text.contains("has been written to");
    }

    /** A successful compile's outputs, checked and held, ready to be stored; close to let go of them. */
    static final class Captured implements AutoCloseable {

        private final RustcCall call;
        private final PathSentinels sentinels;
        private final DepInfo depInfo;
        private final StderrCapture stderr;
        private final byte[] stdout;
        private final Path normalizedDep;
        private final List<OutputFile> outputs = new ArrayList<>();
        private final List<Path> produced = new ArrayList<>();
        private final List<PinnedOutput> pins = new ArrayList<>();

        private Captured(RustcCall call, PathSentinels sentinels, DepInfo depInfo, StderrCapture stderr,
                         byte[] stdout, Path normalizedDep) {
            this.call = call;
            this.sentinels = sentinels;
            this.depInfo = depInfo;
            this.stderr = stderr;
            this.stdout = stdout;
            this.normalizedDep = normalizedDep;
        }

        /** Whether the outputs are held by pins (and may be stored after the unit was handed back). */
        boolean pinned() {
            return !pins.isEmpty();
        }

        /**
         * Hashes the inputs, binds the entry to the local directories the outputs contain, and
         * stores it in {@code into} (whose store made the pins: a pin is a file of its {@code tmp/})
         * and its call-key index. Empty when an input changed after rustc started, or a pinned
         * output after rustc ended.
         */
        Optional<Stored> store(LocalStore into, CallKey callKey, KeyContext ctx, long startStampNanos,
                               long compileMillis) throws IOException {
            // Bitcode hides the paths it holds from a byte search: such an entry is bound to every local
            // directory, so it never crosses checkouts (found by review: an LTO release build served one
            // checkout's env!("CARGO_MANIFEST_DIR") to another). So does a coverage map, compiled with
            // the real paths (not remapped) and compressed, and an rpath, relative to the output's directory.
            List<InputSet.BoundRoot> bound = call.writesBitcode() || call.instrumentsCoverage() || call.setsRpath()
                    ? sentinels.roots().entrySet().stream().map(r -> new InputSet.BoundRoot(r.getKey(), r.getValue())).toList()
                    : new EmbeddedRoots(sentinels.roots()).find(produced);
            if (!bound.isEmpty()) {
                WrapperLog.debug(call.crateName() + ": the outputs contain local paths, the entry is bound to " + bound);
            }
            // A directory the sources name literally binds the entry too: rustc reads that path in every checkout.
            List<InputSet.BoundRoot> named = EmbeddedRoots.namedBySources(depInfo.inputs(), ctx.cwd(), sentinels.roots());
            if (!named.isEmpty()) {
                WrapperLog.debug(call.crateName() + ": the sources name local directories, the entry is bound to " + named);
            }
            // A directory the printed text names as the source does: replayed elsewhere, it would not be the source's text.
            List<InputSet.BoundRoot> quoted = EmbeddedRoots.quotedFromSources(
                    new String(stdout, StandardCharsets.UTF_8) + stderr.diagnostics(), depInfo.inputs(), ctx.cwd(),
                    sentinels.roots());
            if (!quoted.isEmpty()) {
                WrapperLog.debug(call.crateName() + ": the diagnostics quote local directories the sources name,"
                        + " the entry is bound to " + quoted);
            }
            if (call.emitKinds().contains("link")) {
                Optional<Path> nested = NestedLinkAttributes.firstIn(depInfo.inputs(), ctx.cwd());
                if (nested.isPresent()) {
                    WrapperLog.debug("not cached: " + nested.get() + " links a library by a name with a directory"
                            + " part, found below a search directory the key does not read");
                    return Optional.empty();
                }
            }
            InputSet inputs = InputScanner.scan(depInfo, ctx).withRoots(bound).withRoots(named).withRoots(quoted);
            // After the hashing: an input written since rustc started may have been hashed in its new
            // form, and the entry would then claim inputs its outputs were not compiled from.
            ChangedInputs since = new ChangedInputs(ctx.cwd(), sentinels.roots(), startStampNanos);
            Optional<String> changed = since.firstChanged(depInfo.inputs());
            if (changed.isPresent()) {
                WrapperLog.debug("not cached: " + changed.get() + " changed while rustc ran");
                return Optional.empty();
            }
            // What the call key read once the stamp was taken (native libraries, objects, linker scripts,
            // the directories listed, clippy's configuration): one written meanwhile may be what rustc
            // read, not what was keyed; one gone (a search directory removed) can no longer tell, so it
            // counts as changed.
            changed = since.firstChanged(callKey.paths().read().stream().map(Path::toString).toList());
            if (changed.isPresent()) {
                WrapperLog.debug("not cached: " + changed.get() + " changed while rustc ran");
                return Optional.empty();
            }
            // Where none was, a file or search directory made meanwhile may be what rustc read. With the
            // above, whatever a walk of the native inputs would find now differs from the keyed one only
            // where this tells, so they are not walked again.
            Optional<Path> appeared = callKey.paths().noFile().stream().filter(Files::isRegularFile).findFirst()
                    .or(() -> callKey.paths().noDirectory().stream().filter(Files::isDirectory).findFirst());
            if (appeared.isPresent()) {
                WrapperLog.debug("not cached: " + appeared.get() + " appeared while rustc ran");
                return Optional.empty();
            }
            String entryKey = CacheKeyRecipe.entryKey(callKey.key(), inputs);
            Map<String, String> attributes = new HashMap<>(Map.of(
                    EntryAttributes.CALL_KEY, callKey.key(),
                    EntryAttributes.INPUTS, inputs.encode(),
                    EntryAttributes.DIAGNOSTIC_FLAGS, EntryAttributes.diagnosticFlags(call),
                    EntryAttributes.NOTIFICATIONS, stderr.notifications(),
                    EntryAttributes.RECIPE, CacheKeyRecipe.VERSION,
                    EntryAttributes.COMPILE_MILLIS, Long.toString(compileMillis)));
            // For kache list (every build script is crate build_script_build, its package tells which) and
            // for a build record's merge (RecordMerge: two versions of one package are two targets).
            String pkg = ctx.env().get("CARGO_PKG_NAME");
            if (pkg != null && !pkg.isEmpty()) {
                attributes.put(EntryAttributes.PACKAGE, pkg);
            }
            String version = ctx.env().get("CARGO_PKG_VERSION");
            if (version != null && !version.isEmpty()) {
                attributes.put(EntryAttributes.PACKAGE_VERSION, version);
            }
            ArtifactKey key = new ArtifactKey(call.crateName(), entryKey);
            String flags = EntryAttributes.diagnosticFlags(call);
            EntryManifest kept = into.put(key, outputs, stdout,
                    stderr.diagnostics().getBytes(StandardCharsets.UTF_8), attributes);
            into.callKeyIndex().record(callKey.key(), new CallKeyIndex.Candidate(entryKey, inputs));
            boolean added = !kept.diagnosticFlags().equals(flags) && kept.renderedWith(flags).isPresent();
            return Optional.of(new Stored(key, inputs, added));
        }

        @Override
        public void close() throws IOException {
            IOException failed = null;
            for (PinnedOutput p : pins) {
                try {
                    p.close();
                } catch (IOException e) {
                    failed = e;
                }
            }
            Files.deleteIfExists(normalizedDep);
            if (failed != null) {
                throw failed;
            }
        }
    }
}
