package io.kache.cli;

import io.kache.core.key.InputManifests;
import io.kache.core.store.LocalStore;
import java.io.IOException;
import java.time.Instant;

/**
 * After {@code gc} or {@code purge}: the input manifests (call key → candidate entries) whose
 * entries are all gone, which nothing else removes and the size cap does not count.
 */
final class ForgottenCallKeys {

    private ForgottenCallKeys() {
    }

    static InputManifests.Pruned prune(LocalStore store) throws IOException {
        // Taken before the key list: a call key recorded later may name an entry the list misses.
        Instant listedAt = Instant.now();
        return InputManifests.ofStore(store.root()).prune(store.cacheKeys()::contains, listedAt);
    }

    /** The part of a command's summary line about them; empty when nothing was pruned. */
    static String summary(InputManifests.Pruned p) {
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
