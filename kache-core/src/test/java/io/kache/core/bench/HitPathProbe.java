package io.kache.core.bench;

import io.kache.api.ArtifactKey;
import io.kache.core.entry.EntryManifest;
import io.kache.core.store.LocalStore;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One cache hit in a fresh JVM, as the wrapper does it: open the store, look the key up, restore
 * the entry, count the hit. Prints the time spent inside {@code main} in microseconds.
 * Arguments: STORE_ROOT CRATE KEY TARGET_DIR. With only "noop", returns at once (baseline JVM).
 */
public final class HitPathProbe {

    private HitPathProbe() {
    }

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        if (args[0].equals("noop")) {
            System.out.println(0);
            return;
        }
        try (LocalStore store = LocalStore.open(Path.of(args[0]), 50L << 30)) {
            Optional<EntryManifest> hit = store.lookup(new ArtifactKey(args[1], args[2]));
            long t1 = System.nanoTime();
            long bytes = store.restore(hit.orElseThrow(), Path.of(args[3]));
            long t2 = System.nanoTime();
            store.recordHit(bytes);
            long t3 = System.nanoTime();
            System.out.println((t3 - t0) / 1000 + " " + (t1 - t0) / 1000 + " " + (t2 - t1) / 1000 + " "
                    + (t3 - t2) / 1000);
        }
    }
}
