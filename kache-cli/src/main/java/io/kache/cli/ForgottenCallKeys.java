package io.kache.cli;

import io.kache.core.config.KacheConfig;
import io.kache.core.store.CallKeyIndex;
import io.kache.core.store.LocalStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import org.slf4j.LoggerFactory;

/**
 * After {@code gc} or {@code purge}, on a machine without a remote: the call-key index files (call key
 * → candidate entries) whose entries are all gone, which nothing else removes and the size cap
 * does not count. With a remote they are kept: a remembered input set is how a read-through finds
 * an evicted entry's key without running rustc's dep-info pass first.
 */
final class ForgottenCallKeys {

    private static final CallKeyIndex.Pruned NONE = new CallKeyIndex.Pruned(0, 0);

    private ForgottenCallKeys() {
    }

    /** Best effort: the collection already happened, and a failure here must not hide its result. */
    static CallKeyIndex.Pruned prune(LocalStore store, KacheConfig config) {
        if (config.remoteSettings().isPresent()) {
            return NONE;
        }
        try {
            // Taken before the key list: a call key recorded later may name an entry the list misses.
            Instant listedAt = Instant.now();
            return store.callKeyIndex().prune(store.cacheKeys()::contains, listedAt);
        } catch (IOException | UncheckedIOException e) {
            LoggerFactory.getLogger(ForgottenCallKeys.class).warn("call-key index not pruned: {}", e.toString());
            return NONE;
        }
    }

    /** The part of a command's summary line about them; empty when nothing was pruned. */
    static String summary(CallKeyIndex.Pruned p) {
        StringBuilder b = new StringBuilder();
        if (p.callKeys() > 0) {
            b.append("; ").append(p.callKeys()).append(p.callKeys() == 1 ? " call key" : " call keys")
                    .append(" of removed entries forgotten");
        }
        if (p.tempFiles() > 0) {
            b.append("; ").append(p.tempFiles()).append(" leftover input-manifest temp files removed");
        }
        return b.toString();
    }
}
