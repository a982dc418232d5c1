package io.kache.core.wrapper;

import io.kache.api.ArtifactKey;
import io.kache.api.CorruptedEntryException;
import io.kache.core.Invocation;
import io.kache.core.entry.EntryManifest;
import io.kache.core.key.KeyContext;
import io.kache.core.rustc.OutputNames;
import io.kache.core.rustc.PathSentinels;
import io.kache.core.rustc.RustcCall;
import io.kache.core.store.LocalStore;
import io.kache.core.store.RewrittenText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Serves a hit: finds the entry through the call-key index, restores its files into the
 * out-dir, rewrites the dep-info for this tree, and replays what rustc printed (artifact
 * notifications only after the files are in place).
 */
final class HitReplay {

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
        Optional<String> unfit = unfit(entry);
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
        replay(entry);
        store.recordHit(bytes);
        note.hit(entryKey.get(), bytes, EntryAttributes.compileMillis(entry));
        return Optional.of(0);
    }

    /**
     * Why what the entry recorded cannot stand in for this call's output, or empty when it can: it
     * must hold the same files, the artifact notifications this call wants, and diagnostics rendered
     * with the same flags (an entry without diagnostics fits any flags). The reason is kept for
     * {@code kache why-miss}: the key matched, so no key part explains the miss.
     */
    private Optional<String> unfit(EntryManifest entry) {
        if (!fileNames(entry).equals(OutputNames.expected(call))) {
            return Optional.of("it holds other output files than this call writes");
        }
        String notes = entry.attributes().getOrDefault(EntryAttributes.NOTIFICATIONS, "");
        if (call.wantsArtifactNotifications() && notes.isEmpty()) {
            return Optional.of("it has no artifact notifications, which this call asks for (--json=artifacts)");
        }
        boolean quiet = entry.stderr().length == 0;
        String flags = entry.attributes().getOrDefault(EntryAttributes.DIAGNOSTIC_FLAGS, "");
        if (quiet || flags.equals(EntryAttributes.diagnosticFlags(call))) {
            return Optional.empty();
        }
        return Optional.of("its warnings were rendered with other diagnostic flags (--error-format, --json,"
                + " --color: cargo's --message-format sets them), so they could not be replayed as this call"
                + " prints them");
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

    private void replay(EntryManifest entry) {
        if (entry.stdout().length > 0) {
            inv.out().print(sentinels.expand(new String(entry.stdout(), StandardCharsets.UTF_8)));
            inv.out().flush();
        }
        if (call.wantsArtifactNotifications()) {
            inv.err().print(sentinels.expand(entry.attributes().getOrDefault(EntryAttributes.NOTIFICATIONS, "")));
        }
        if (entry.stderr().length > 0) {
            inv.err().print(sentinels.expand(new String(entry.stderr(), StandardCharsets.UTF_8)));
        }
        inv.err().flush();
    }

    private static List<String> fileNames(EntryManifest entry) {
        return entry.files().stream().map(f -> f.name()).sorted().toList();
    }
}
