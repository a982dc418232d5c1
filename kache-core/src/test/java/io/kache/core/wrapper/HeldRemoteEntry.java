package io.kache.core.wrapper;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kache.core.hash.FileClockTicks;
import io.kache.core.store.LocalStore;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A read-only filesystem remote whose object for one entry is a FIFO: a call that reads it through
 * waits until {@link #release} opens the other end, so a test acts between a call's key and its
 * compile's start stamp (during the remote fetch), then ends the object empty: a miss of it.
 *
 * @param config the kache configuration naming the remote, for {@code KACHE_CONFIG}
 * @param object the FIFO
 */
record HeldRemoteEntry(Path config, Path object) {

    /**
     * Makes the remote under {@code temp} holding, as a FIFO, the one entry of {@code crate} that
     * {@code store} holds (a first call's, into a store of its own: the entry key as the call stands).
     */
    static HeldRemoteEntry ofTheOnlyEntryIn(Path store, Path temp, String crate) throws Exception {
        String entryKey;
        try (LocalStore first = LocalStore.open(store, Long.MAX_VALUE)) {
            entryKey = first.list(Optional.of(crate)).get(0).key().cacheKey();
        }
        return of(temp, crate, entryKey);
    }

    /** Makes the remote under {@code temp} holding {@code crate}'s entry {@code entryKey} as a FIFO. */
    private static HeldRemoteEntry of(Path temp, String crate, String entryKey) throws Exception {
        Path share = Files.createDirectories(temp.resolve("share"));
        Path object = Files.createDirectories(share.resolve("artifacts/" + crate)).resolve(entryKey + ".tar.zst");
        assertEquals(0, new ProcessBuilder("mkfifo", object.toString()).inheritIO().start().waitFor());
        Path config = temp.resolve("kache.toml");
        Files.writeString(config, "[cache]\nremote_readonly = true\n[cache.remote]\ntype = \"filesystem\"\npath = \""
                + share + "\"\n");
        return new HeldRemoteEntry(config, object);
    }

    /**
     * A thread that, once the call opens the object, runs {@code meanwhile} and waits for the file
     * clock's next tick (so what it did precedes the start stamp), then lets the call go on.
     */
    Thread release(Path temp, Action meanwhile) {
        Thread remote = new Thread(() -> {
            try (OutputStream answer = new FileOutputStream(object.toFile())) {
                meanwhile.run();
                FileClockTicks.awaitNextTick(temp);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        remote.start();
        return remote;
    }

    /** What the test does while the call waits. */
    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }
}
