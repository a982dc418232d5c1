package io.kache.core.wrapper;

import io.kache.api.ArtifactKey;
import io.kache.api.CorruptedEntryException;
import io.kache.core.Invocation;
import io.kache.core.entry.EntryManifest;
import io.kache.core.entry.Rendering;
import io.kache.core.key.KeyContext;
import io.kache.core.rustc.OutputNames;
import io.kache.core.rustc.PathSentinels;
import io.kache.core.rustc.RustcCall;
import io.kache.core.store.LocalStore;
import io.kache.core.store.RewrittenText;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Serves a hit: finds the entry through the call-key index, restores its files into the
 * out-dir, rewrites the dep-info for this tree, and replays what rustc printed (artifact
 * notifications only after the files are in place).
 */
final class HitReplay {

    /**
     * Why an entry whose warnings were printed with other flags was not served. The compile that
     * follows adds its own rendering to the entry (see {@link LocalStore#put}), which then serves
     * both: {@link CallNote#renderingAdded} says so.
     */
    static final String OTHER_FLAGS = "its warnings were rendered with other diagnostic flags (--error-format,"
            + " --json, --color, --diagnostic-width: cargo's --message-format and a terminal's width set them),"
            + " so they could not be replayed as this call prints them";

    private final RustcCall call;
    private final Invocation inv;
    private final LocalStore store;
    private final PathSentinels sentinels;

    HitReplay(WrappedCall wrapped) {
        this.call = wrapped.rustc();
        this.inv = wrapped.inv();
        this.store = wrapped.store();
        this.sentinels = wrapped.sentinels();
    }

    /** The exit code of a served hit, or empty when this call must compile. */
    Optional<Integer> tryHit(String callKey, KeyContext ctx, CallNote note) throws IOException {
        Optional<String> entryKey = store.callKeyIndex().match(callKey, ctx);
        if (entryKey.isEmpty()) {
            return Optional.empty();
        }
        Optional<EntryManifest> found = store.lookup(new ArtifactKey(call.crateName(), entryKey.get()));
        if (found.isEmpty()) {
            note.unused(entryKey.get(), "it was gone or unreadable when looked up (an unreadable entry is dropped)");
            return Optional.empty();
        }
        EntryManifest entry = found.get();
        Optional<Rendering> rendering = rendering(entry);
        Optional<String> unfit = unfit(entry, rendering);
        if (unfit.isPresent()) {
            note.unused(entryKey.get(), unfit.get());
            return Optional.empty();
        }
        long bytes;
        try {
            bytes = store.restore(entry, call.outDir(), depInfo());
        } catch (CorruptedEntryException e) {
            note.unused(entryKey.get(), "it was damaged (" + e.getMessage() + ") and was dropped");
            throw e;
        }
        replay(rendering.orElseThrow());
        store.recordHit(bytes);
        note.hit(entryKey.get(), bytes, EntryAttributes.compileMillis(entry));
        return Optional.of(0);
    }

    /**
     * What the entry recorded rustc printing with this call's diagnostic flags: its own rendering or
     * one a later compile with these flags added (a lookup among at most a few); else, when the entry
     * printed no diagnostics, its own, which fits any flags. Empty when it has none for these flags.
     */
    private Optional<Rendering> rendering(EntryManifest entry) {
        Optional<Rendering> exact = entry.renderedWith(EntryAttributes.diagnosticFlags(call));
        if (exact.isPresent() || entry.stderr().length > 0) {
            return exact;
        }
        return Optional.of(entry.ownRendering());
    }

    /**
     * Why what the entry recorded cannot stand in for this call's output, or empty when it can: it
     * must hold the same files, diagnostics rendered with the same flags (an entry without
     * diagnostics fits any flags), and the artifact notifications this call wants. The reason is
     * kept for {@code kache why-miss}: the key matched, so no key part explains the miss.
     */
    private Optional<String> unfit(EntryManifest entry, Optional<Rendering> rendering) {
        if (!fileNames(entry).equals(OutputNames.expected(call))) {
            return Optional.of("it holds other output files than this call writes");
        }
        if (rendering.isEmpty()) {
            return Optional.of(OTHER_FLAGS);
        }
        if (call.wantsArtifactNotifications() && rendering.get().notifications().isEmpty()) {
            return Optional.of("it has no artifact notifications, which this call asks for (--json=artifacts)");
        }
        return Optional.empty();
    }

    /**
     * rustc's dep-info as the call needs it: the entry keeps its paths as sentinels, written out
     * here for this checkout, in the same single write that restores it.
     */
    private Optional<RewrittenText> depInfo() {
        if (!call.emitKinds().contains("dep-info")) {
            return Optional.empty();
        }
        return Optional.of(new RewrittenText(call.crateName() + call.extraFilename() + ".d", sentinels::expandDepInfo));
    }

    private void replay(Rendering rendering) {
        if (!rendering.stdout().isEmpty()) {
            inv.out().print(sentinels.expand(rendering.stdout()));
            inv.out().flush();
        }
        if (call.wantsArtifactNotifications()) {
            inv.err().print(sentinels.expand(rendering.notifications()));
        }
        if (!rendering.stderr().isEmpty()) {
            inv.err().print(sentinels.expand(rendering.stderr()));
        }
        inv.err().flush();
    }

    private static List<String> fileNames(EntryManifest entry) {
        return entry.files().stream().map(f -> f.name()).sorted().toList();
    }
}
