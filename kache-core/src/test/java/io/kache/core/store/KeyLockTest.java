package io.kache.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyLockTest {

    @TempDir
    Path tmp;

    @Test
    void secondHolderTimesOutWhileTheFirstHolds() throws Exception {
        try (LocalStore store = LocalStore.open(tmp, 1L << 30)) {
            ArtifactKey k = StoreFixtures.key("a", "1");
            try (KeyLock held = store.lock(k, Duration.ofSeconds(5))) {
                LockTimeoutException e = assertThrows(LockTimeoutException.class,
                        () -> CompletableFuture.supplyAsync(() -> tryLock(store, k)).get(10, TimeUnit.SECONDS)
                                .rethrow());
                assertTrue(e.getMessage().contains(k.toString()), e.getMessage());
                // Another key is independent.
                store.lock(StoreFixtures.key("a", "2"), Duration.ZERO).close();
            }
            store.lock(k, Duration.ZERO).close();
        }
    }

    @Test
    void threadsTakeTurns() throws Exception {
        try (LocalStore store = LocalStore.open(tmp, 1L << 30)) {
            ArtifactKey k = StoreFixtures.key("a", "1");
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger maxInside = new AtomicInteger();
            CompletableFuture<?>[] all = new CompletableFuture<?>[4];
            for (int t = 0; t < all.length; t++) {
                all[t] = CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < 25; i++) {
                        try (KeyLock l = store.lock(k, Duration.ofSeconds(30))) {
                            maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            inside.decrementAndGet();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                });
            }
            CompletableFuture.allOf(all).get(60, TimeUnit.SECONDS);
            assertEquals(1, maxInside.get());
        }
    }

    @Test
    void closingTwiceIsHarmless() throws Exception {
        try (LocalStore store = LocalStore.open(tmp, 1L << 30)) {
            KeyLock l = store.lock(StoreFixtures.key("a", "1"), Duration.ZERO);
            l.close();
            l.close();
            store.lock(StoreFixtures.key("a", "1"), Duration.ZERO).close();
        }
    }

    record Outcome(Exception error) {
        Outcome rethrow() throws Exception {
            if (error != null) {
                throw error;
            }
            return this;
        }
    }

    static Outcome tryLock(LocalStore store, ArtifactKey k) {
        try (KeyLock l = store.lock(k, Duration.ofMillis(100))) {
            return new Outcome(null);
        } catch (Exception e) {
            return new Outcome(e);
        }
    }
}
