package io.kache.core.wrapper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactStore;
import io.kache.api.RemoteSettings;
import io.kache.api.StoreUnavailableException;
import io.kache.testkit.InMemoryArtifactStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's remotes open ahead, outside any call's deadline: a call that finds its remote still
 * opening is a plain miss (nothing marked), one that finds it open reads through, and an opening that
 * fails is said once, as a failure, before a later call opens it afresh.
 */
class OpenRemotesAheadTest {

    @TempDir
    Path temp;

    @Test
    void aRemoteStillOpeningIsAPlainMissThenReadyWithoutOpeningTwice() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger opened = new AtomicInteger();
        ArtifactStore store = new InMemoryArtifactStore();
        Optional<RemoteSettings> settings = Optional.of(RemoteSettings.filesystem(temp.resolve("remote")));
        try (OpenRemotes remotes = new OpenRemotes(s -> {
            opened.incrementAndGet();
            try {
                release.await(); // a slow credential resolution, SDK class loading on a loaded machine
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Optional.of(store);
        }, true)) {
            remotes.openAhead(settings);
            assertEquals(OpenRemotes.State.OPENING, remotes.readiness(settings, Duration.ofMillis(100)).state(),
                    "still opening after the call's wait: a miss, not a failure");
            release.countDown();
            assertEquals(OpenRemotes.State.READY, remotes.readiness(settings, Duration.ofSeconds(30)).state());
            assertSame(store, remotes.get(settings).orElseThrow());
            assertEquals(1, opened.get(), "opened once for every call");
            assertTrue(remotes.prefetcher().isPresent(), "the server's remotes own its prefetcher");
        }
    }

    @Test
    void theServersStartOpensItsConfiguredRemoteBeforeAnyCallAndTheCallsUseIt() throws Exception {
        java.util.Map<String, String> env = java.util.Map.of("HOME", temp.toString(),
                "KACHE_S3_BUCKET", "cache", "KACHE_S3_ENDPOINT", "http://127.0.0.1:9", "KACHE_S3_REGION", "us-east-1",
                "KACHE_S3_ACCESS_KEY", "AKIDTEST", "KACHE_S3_SECRET_KEY", "secret");
        CountDownLatch opening = new CountDownLatch(1);
        AtomicInteger opened = new AtomicInteger();
        ArtifactStore store = new InMemoryArtifactStore();
        try (OpenRemotes remotes = new OpenRemotes(s -> {
            opened.incrementAndGet();
            opening.countDown();
            return Optional.of(store);
        }, true)) {
            remotes.openAheadFor(env, temp);
            assertTrue(opening.await(30, java.util.concurrent.TimeUnit.SECONDS), "opened with no call served yet");
            // A call of the same configuration, as RustcWrapper.prepare and WrappedCall see it.
            Optional<RemoteSettings> callSettings = io.kache.core.remote.RemoteStores.withCredentials(
                    WrapperSettings.of(io.kache.core.config.ConfigLoader.load(env, temp)).remote(), env);
            assertEquals(OpenRemotes.State.READY, remotes.readiness(callSettings, Duration.ofSeconds(30)).state());
            assertSame(store, remotes.get(callSettings).orElseThrow());
            assertEquals(1, opened.get(), "the start's opening is the calls' remote, not a second one");
        }
        AtomicInteger none = new AtomicInteger();
        try (OpenRemotes remotes = new OpenRemotes(s -> {
            none.incrementAndGet();
            return Optional.of(store);
        }, true)) {
            remotes.openAheadFor(java.util.Map.of("HOME", temp.toString()), temp);
            remotes.openAheadFor(java.util.Map.of(), temp);
        }
        assertEquals(0, none.get(), "no remote configured: nothing opened");
    }

    @Test
    void aFreshStoresServerAsksTheRemoteOnceAheadOfTheBuildAndAWarmStoresDoesNot() throws Exception {
        java.util.Map<String, String> env = new java.util.HashMap<>(java.util.Map.of("HOME", temp.toString(),
                "KACHE_S3_BUCKET", "cache", "KACHE_S3_ENDPOINT", "http://127.0.0.1:9", "KACHE_S3_REGION", "us-east-1",
                "KACHE_S3_ACCESS_KEY", "AKIDTEST", "KACHE_S3_SECRET_KEY", "secret"));
        env.put("KACHE_CACHE_DIR", temp.resolve("fresh-store").toString());
        java.util.List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch warmedUp = new CountDownLatch(1);
        try (OpenRemotes remotes = new OpenRemotes(s -> Optional.of(recording(asked, warmedUp)), true)) {
            remotes.openAheadFor(env, temp);
            assertTrue(warmedUp.await(30, java.util.concurrent.TimeUnit.SECONDS), "a fresh store: warmed up");
            assertEquals(java.util.List.of(ServerStart.WARM_UP_SLOT), asked);
        }
        asked.clear();
        try (io.kache.core.store.LocalStore warm = io.kache.core.store.LocalStore.open(temp.resolve("warm-store"), 1L << 30)) {
            assertTrue(warm.holdsNoEntry(), "a store never filled holds no entry");
            java.nio.file.Path out = java.nio.file.Files.writeString(temp.resolve("libserde.rlib"), "rlib");
            warm.put(new io.kache.api.ArtifactKey("serde", "a".repeat(64)),
                    java.util.List.of(new io.kache.core.entry.OutputFile("libserde.rlib", out)), new byte[0], new byte[0],
                    java.util.Map.of());
            assertTrue(!warm.holdsNoEntry(), "one entry: not a fresh runner's store");
        }
        env.put("KACHE_CACHE_DIR", temp.resolve("warm-store").toString());
        CountDownLatch opened = new CountDownLatch(1);
        try (OpenRemotes remotes = new OpenRemotes(s -> {
            opened.countDown();
            return Optional.of(recording(asked, new CountDownLatch(1)));
        }, true)) {
            remotes.openAheadFor(env, temp);
            assertTrue(opened.await(30, java.util.concurrent.TimeUnit.SECONDS));
            Optional<RemoteSettings> callSettings = io.kache.core.remote.RemoteStores.withCredentials(
                    WrapperSettings.of(io.kache.core.config.ConfigLoader.load(env, temp)).remote(), env);
            assertEquals(OpenRemotes.State.READY, remotes.readiness(callSettings, Duration.ofSeconds(30)).state());
            // The start's thread has done all it would do.
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().equals("kache-remote-open")) {
                    t.join(30_000);
                }
            }
        }
        assertEquals(java.util.List.of(), asked, "a store with entries: its builds mostly hit, nothing is asked");
    }

    /** A remote that notes the record slots it is asked for. */
    private static ArtifactStore recording(java.util.List<String> asked, CountDownLatch read) {
        InMemoryArtifactStore backing = new InMemoryArtifactStore();
        return (ArtifactStore) java.lang.reflect.Proxy.newProxyInstance(ArtifactStore.class.getClassLoader(),
                new Class<?>[] {ArtifactStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("readRecord")) {
                        asked.add((String) args[0]);
                        read.countDown();
                        return Optional.empty();
                    }
                    try {
                        return method.invoke(backing, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void aFailedOpeningIsSaidOnceThenTriedAfresh() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        Optional<RemoteSettings> settings = Optional.of(RemoteSettings.filesystem(temp.resolve("remote")));
        try (OpenRemotes remotes = new OpenRemotes(s -> {
            if (attempts.incrementAndGet() == 1) {
                throw new StoreUnavailableException("no credentials");
            }
            return Optional.of(new InMemoryArtifactStore());
        }, true)) {
            OpenRemotes.Readiness first = remotes.readiness(settings, Duration.ofSeconds(30));
            assertEquals(OpenRemotes.State.FAILED, first.state());
            assertTrue(first.why().contains("no credentials"), first.why());
            assertEquals(OpenRemotes.State.READY, remotes.readiness(settings, Duration.ofSeconds(30)).state(),
                    "the next call (after the quiet period) opens it afresh");
            assertEquals(2, attempts.get());
        }
    }

    @Test
    void theJvmWrappersRemotesOpenWithinTheCallAndDoNotPrefetch() throws Exception {
        Optional<RemoteSettings> settings = Optional.of(RemoteSettings.filesystem(temp.resolve("remote")));
        AtomicInteger opened = new AtomicInteger();
        try (OpenRemotes remotes = new OpenRemotes(s -> {
            opened.incrementAndGet();
            return Optional.of(new InMemoryArtifactStore());
        })) {
            remotes.openAhead(settings);
            assertEquals(OpenRemotes.State.READY, remotes.readiness(settings, Duration.ZERO).state());
            assertEquals(0, opened.get(), "nothing opened ahead: the one call opens it when it reads");
            assertTrue(remotes.prefetcher().isEmpty());
        }
    }
}
