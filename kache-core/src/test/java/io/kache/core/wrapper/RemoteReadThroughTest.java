package io.kache.core.wrapper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.api.RemoteSettings;
import io.kache.core.Invocation;
import io.kache.core.config.ConfigLoader;
import io.kache.core.remote.RemoteDestination;
import io.kache.core.store.EntryInfo;
import io.kache.core.store.LocalStore;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read-through of one call against a filesystem remote whose object for the call's entry is
 * bad, or refused by the remote alone: a miss of that entry, never an outage of the remote.
 */
class RemoteReadThroughTest {

    @TempDir
    Path temp;
    GreetCrate greet;
    Path share;

    @BeforeEach
    void setUp() throws Exception {
        greet = GreetCrate.in(temp, temp.resolve("a"));
        share = Files.createDirectories(temp.resolve("share"));
    }

    /** The pack of the entry {@code source} compiles to, from a store of its own (no remote). */
    private Pack compiled(String source, String storeName) throws Exception {
        Files.writeString(greet.project.resolve("src/lib.rs"), source);
        greet.env.put("KACHE_CACHE_DIR", temp.resolve(storeName).toString());
        greet.env.remove("KACHE_CONFIG");
        assertEquals(0, call(new ByteArrayOutputStream()));
        greet.spy.takeCompiled();
        greet.clean();
        try (LocalStore store = LocalStore.open(temp.resolve(storeName), 1L << 30)) {
            List<EntryInfo> entries = store.list(Optional.of("greet"));
            assertEquals(1, entries.size(), entries.toString());
            ByteArrayOutputStream pack = new ByteArrayOutputStream();
            assertTrue(store.exportPack(entries.get(0).key(), pack, 3));
            return new Pack(entries.get(0).key(), pack.toByteArray());
        }
    }

    private record Pack(ArtifactKey key, byte[] bytes) {
    }

    private int call(ByteArrayOutputStream out) {
        Invocation inv = greet.invocation(greet.compile(), out, OptionalLong.empty());
        return RustcWrapper.run(inv);
    }

    /** Machine B: its own empty store, the filesystem remote (read-only: no uploader in a unit test). */
    private ByteArrayOutputStream buildOnB(String storeName) throws Exception {
        return buildOnB(storeName, "type = \"filesystem\"\n");
    }

    /** Machine B with the remote {@code remote} says (the lines of {@code [cache.remote]} before its path). */
    private ByteArrayOutputStream buildOnB(String storeName, String remote) throws Exception {
        Path config = temp.resolve("kache.toml");
        Files.writeString(config, "[cache]\nremote_readonly = true\n[cache.remote]\n" + remote + "path = \""
                + share + "\"\n");
        greet.env.put("KACHE_CONFIG", config.toString());
        greet.env.put("KACHE_CACHE_DIR", temp.resolve(storeName).toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, call(out), () -> out.toString(StandardCharsets.UTF_8));
        return out;
    }

    private void publish(ArtifactKey at, byte[] bytes) throws Exception {
        Path object = share.resolve("artifacts/" + at.crateName() + "/" + at.cacheKey() + ".tar.zst");
        Files.createDirectories(object.getParent());
        Files.write(object, bytes);
    }

    private void assertRemoteNotMarkedFailed(String storeName) throws Exception {
        assertRemoteNotMarkedFailed(storeName, RemoteDestination.of(RemoteSettings.filesystem(share)));
    }

    private void assertRemoteNotMarkedFailed(String storeName, RemoteDestination to) throws Exception {
        try (LocalStore store = LocalStore.open(temp.resolve(storeName), 1L << 30)) {
            assertEquals(Optional.empty(), store.remoteHealth(to).unavailableUntil(),
                    "one bad object is its entry's miss: the remote stays in use for the build");
        }
    }

    @Test
    void aTruncatedObjectIsAMissOfItsEntryAndTheRemoteStaysInUse() throws Exception {
        Pack pack = compiled("pub fn greet() -> &'static str { \"hello\" }\n", "a");
        publish(pack.key(), Arrays.copyOf(pack.bytes(), pack.bytes().length / 2));

        buildOnB("b");

        assertEquals(List.of("greet"), greet.spy.takeCompiled(), "the bad object is not used: the call compiles");
        assertRemoteNotMarkedFailed("b");
    }

    @Test
    void anotherKeysValidPackIsAMissOfItsEntryAndTheRemoteStaysInUseForTheNext() throws Exception {
        Pack other = compiled("pub fn greet() -> &'static str { \"other\" }\n", "a2");
        Pack wanted = compiled("pub fn greet() -> &'static str { \"hello\" }\n", "a");
        publish(wanted.key(), other.bytes());

        buildOnB("b");
        assertEquals(List.of("greet"), greet.spy.takeCompiled(), "a foreign pack is not served");
        assertRemoteNotMarkedFailed("b");

        // The same store, the next call of the build: the remote is still asked and serves.
        Files.writeString(greet.project.resolve("src/lib.rs"), "pub fn greet() -> &'static str { \"other\" }\n");
        publish(other.key(), other.bytes());
        greet.clean();
        buildOnB("b");
        assertEquals(List.of(), greet.spy.takeCompiled(), "served from the remote");
        assertRemoteNotMarkedFailed("b");
    }

    @Test
    void anObjectTheRemoteRefusesAloneIsAMissOfItsEntryAndTheRemoteStaysInUseForTheNext() throws Exception {
        Pack next = compiled("pub fn greet() -> &'static str { \"other\" }\n", "a2");
        Pack refused = compiled("pub fn greet() -> &'static str { \"hello\" }\n", "a");
        publish(refused.key(), refused.bytes());
        publish(next.key(), next.bytes());
        String remote = "type = \"" + RejectingStoreProvider.TYPE + "\"\nreject_key = \"" + refused.key().cacheKey()
                + "\"\n";

        buildOnB("b", remote);
        assertEquals(List.of("greet"), greet.spy.takeCompiled(), "the refused entry misses: the call compiles");
        RemoteDestination to = RemoteDestination.of(ConfigLoader.load(greet.env, greet.project).remoteSettings().orElseThrow());
        assertRemoteNotMarkedFailed("b", to);

        // The same store, the next call of the build: the remote is still asked and serves.
        Files.writeString(greet.project.resolve("src/lib.rs"), "pub fn greet() -> &'static str { \"other\" }\n");
        greet.clean();
        buildOnB("b", remote);
        assertEquals(List.of(), greet.spy.takeCompiled(), "served from the remote");
        assertRemoteNotMarkedFailed("b", to);
    }
}
