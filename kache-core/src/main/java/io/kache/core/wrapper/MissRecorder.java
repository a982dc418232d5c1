package io.kache.core.wrapper;

import io.kache.core.key.CacheKeyRecipe;
import io.kache.core.key.KeyBreakdown;
import io.kache.core.key.KeyContext;
import io.kache.core.rustc.CargoUnit;
import io.kache.core.rustc.RustcCall;
import io.kache.core.store.LocalStore;
import io.kache.core.store.MissRecords;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * After a miss compiled: remembers what went into its key, part by part, as the crate's latest miss
 * and beside the entry it stored, for {@code kache why-miss}. Only misses pay for it (the call key
 * is taken apart once more, from memoized hashes); a failure here costs the explanation, never the build.
 */
final class MissRecorder {

    private MissRecorder() {
    }

    static void record(LocalStore store, RustcCall call, KeyContext ctx, String callKey,
                       Optional<EntryRecorder.Stored> stored, Optional<MissRecords.Unused> unused) {
        try {
            KeyBreakdown parts = CacheKeyRecipe.callKeyParts(call, ctx);
            if (stored.isPresent()) {
                parts = parts.plus(CacheKeyRecipe.inputParts(stored.get().inputs()));
            }
            MissRecords records = store.missRecords();
            // The context carries the call's own environment: its CARGO_PKG_NAME names the package.
            CargoUnit unit = CargoUnit.of(call, ctx.env());
            // The entry's breakdown first: a why-miss reading the miss then finds the entry's too.
            if (stored.isPresent()) {
                records.entryStored(stored.get().key(), unit, parts);
            }
            records.missed(call.crateName(), new MissRecords.Miss(Instant.now(), callKey,
                    stored.map(s -> s.key().cacheKey()), parts, unused, unit));
        } catch (IOException | RuntimeException e) {
            WrapperLog.debug("could not record why " + call.crateName() + " missed: " + e);
        }
    }
}
