package io.kache.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.RemoteSettings;
import io.kache.core.remote.RemoteDestination;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failed remote is left alone for a while; the other remotes of projects sharing the store are not. */
class RemoteHealthTest {

    static final RemoteDestination A = RemoteDestination.of(RemoteSettings.filesystem(Path.of("/shared/teamA")));
    static final RemoteDestination B = RemoteDestination.of(RemoteSettings.filesystem(Path.of("/mnt/teamB")));

    @TempDir
    Path temp;
    LocalStore store;

    @BeforeEach
    void open() throws Exception {
        store = LocalStore.open(temp.resolve("store"), 1L << 30);
    }

    @AfterEach
    void close() throws Exception {
        store.close();
    }

    @Test
    void oneProjectsFailingRemoteDoesNotStopAnothersHealthyOne() {
        store.remoteHealth(B).markFailed("shared directory /mnt/teamB does not exist");

        assertTrue(store.remoteHealth(B).recentlyFailed());
        assertEquals("shared directory /mnt/teamB does not exist", store.remoteHealth(B).unavailableUntil()
                .orElseThrow().why());
        assertFalse(store.remoteHealth(A).recentlyFailed(), "team A's remote is still asked");
    }

    @Test
    void anOlderKachesMarkerIsReplacedAtTheNextFailure() throws Exception {
        Files.writeString(temp.resolve("store/remote-unavailable"), "no answer within 3s\n");

        assertFalse(store.remoteHealth(A).recentlyFailed(), "it named no remote: no remote is left alone for it");
        store.remoteHealth(A).markFailed("no answer within 3s");

        assertTrue(store.remoteHealth(A).recentlyFailed());
        assertFalse(store.remoteHealth(B).recentlyFailed());
    }

    @Test
    void anOlderKachesReasonIsShownWithoutItsJavaClassName() {
        store.remoteHealth(A).markFailed("io.kache.api.StoreUnavailableException: GetObject of s3://cache/k failed:"
                + " cannot reach http://127.0.0.1:1");

        assertEquals("GetObject of s3://cache/k failed: cannot reach http://127.0.0.1:1",
                store.remoteHealth(A).unavailableUntil().orElseThrow().why());
    }
}
