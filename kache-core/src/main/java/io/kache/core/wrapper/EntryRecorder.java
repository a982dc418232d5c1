package io.kache.core.wrapper;

import io.kache.api.ArtifactKey;
import io.kache.core.entry.OutputFile;
import io.kache.core.key.CacheKeyRecipe;
import io.kache.core.key.InputScanner;
import io.kache.core.key.InputSet;
import io.kache.core.key.KeyContext;
import io.kache.core.rustc.DepInfo;
import io.kache.core.rustc.OutputNames;
import io.kache.core.rustc.PathSentinels;
import io.kache.core.rustc.RustcCall;
import io.kache.core.store.CallKeyIndex;
import io.kache.core.store.LocalStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Stores what a successful compile produced, after checking that it is exactly what kache expects:
 * the predicted output files, no artifact it did not predict, and no input changed while rustc ran
 * (the hashes taken now must be the content rustc read). Outputs that contain a local directory
 * bind the entry to it ({@link EmbeddedRoots}).
 */
final class EntryRecorder {

    private final RustcCall call;
    private final LocalStore store;
    private final PathSentinels sentinels;

    EntryRecorder(WrappedCall wrapped) {
        this.call = wrapped.rustc();
        this.store = wrapped.store();
        this.sentinels = wrapped.sentinels();
    }

    /** A stored entry: its key and what the crate read. */
    record Stored(ArtifactKey key, InputSet inputs) {
    }

    /** The stored entry, or empty when the compile's outputs were not cacheable. */
    Optional<Stored> record(String callKey, KeyContext ctx, RustcProcess.Result result, long startedNanos,
                            long compileMillis) throws IOException {
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
        DepInfo depInfo = DepInfo.read(depFile);
        for (String input : depInfo.inputs()) {
            Path file = ctx.cwd().resolve(input);
            FileTime modified = Files.getLastModifiedTime(file);
            if (modified.to(TimeUnit.NANOSECONDS) >= startedNanos) {
                WrapperLog.debug("not cached: " + input + " changed while rustc ran");
                return Optional.empty();
            }
        }
        List<Path> produced = new ArrayList<>();
        for (String name : names) {
            if (!name.equals(depName)) {
                produced.add(call.outDir().resolve(name));
            }
        }
        List<InputSet.BoundRoot> bound = new EmbeddedRoots(sentinels.roots()).find(produced);
        if (!bound.isEmpty()) {
            WrapperLog.debug(call.crateName() + ": the outputs contain local paths, the entry is bound to " + bound);
        }
        InputSet inputs = InputScanner.scan(depInfo, ctx).withRoots(bound);
        String entryKey = CacheKeyRecipe.entryKey(callKey, inputs);
        Path normalizedDep = store.newTemp("dep");
        try {
            Files.writeString(normalizedDep, sentinels.normalize(Files.readString(depFile, StandardCharsets.UTF_8)),
                    StandardCharsets.UTF_8);
            List<OutputFile> outputs = new ArrayList<>();
            for (String name : names) {
                outputs.add(new OutputFile(name, name.equals(depName) ? normalizedDep : call.outDir().resolve(name)));
            }
            Map<String, String> attributes = new HashMap<>(Map.of(
                    EntryAttributes.CALL_KEY, callKey,
                    EntryAttributes.INPUTS, inputs.encode(),
                    EntryAttributes.DIAGNOSTIC_FLAGS, EntryAttributes.diagnosticFlags(call),
                    EntryAttributes.NOTIFICATIONS, stderr.notifications(),
                    EntryAttributes.RECIPE, CacheKeyRecipe.VERSION,
                    EntryAttributes.COMPILE_MILLIS, Long.toString(compileMillis)));
            // Only for kache list: every build script is crate build_script_build, its package tells which.
            String pkg = ctx.env().get("CARGO_PKG_NAME");
            if (pkg != null && !pkg.isEmpty()) {
                attributes.put(EntryAttributes.PACKAGE, pkg);
            }
            byte[] stdout = sentinels.normalize(new String(result.stdout(), StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8);
            ArtifactKey key = new ArtifactKey(call.crateName(), entryKey);
            store.put(key, outputs, stdout, stderr.diagnostics().getBytes(StandardCharsets.UTF_8), attributes);
            store.callKeyIndex().record(callKey, new CallKeyIndex.Candidate(entryKey, inputs));
            return Optional.of(new Stored(key, inputs));
        } finally {
            Files.deleteIfExists(normalizedDep);
        }
    }
}
