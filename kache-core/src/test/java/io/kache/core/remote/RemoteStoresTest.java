package io.kache.core.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactSource;
import io.kache.api.ArtifactStore;
import io.kache.api.NoSuchProviderException;
import io.kache.api.StoreAccessDeniedException;
import io.kache.api.StoreMisconfiguredException;
import io.kache.api.StoreProviders;
import io.kache.core.config.ConfigLoader;
import io.kache.core.config.KacheConfig;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemoteStoresTest {

    private static final ArtifactKey KEY = new ArtifactKey("serde", "ab".repeat(32));

    @TempDir
    Path tmp;
    Path share;
    Path project;
    Map<String, String> env = new HashMap<>();

    @BeforeEach
    void setUp() throws Exception {
        share = Files.createDirectories(tmp.resolve("share"));
        project = Files.createDirectories(tmp.resolve("project"));
        env.put("HOME", tmp.resolve("home").toString());
    }

    private KacheConfig config(String toml) throws Exception {
        Files.writeString(project.resolve(".kache.toml"), toml);
        return ConfigLoader.load(env, project);
    }

    private String filesystemRemote() {
        return "[cache.remote]\ntype = \"filesystem\"\npath = \"" + share + "\"\n";
    }

    @Test
    void noRemoteConfiguredMeansNoStore() throws Exception {
        assertEquals(Optional.empty(), RemoteStores.open(config("[cache]\n"), env));
    }

    @Test
    void theConfiguredFilesystemRemoteOpensThroughServiceLoader() throws Exception {
        try (ArtifactStore store = RemoteStores.open(config(filesystemRemote()), env).orElseThrow()) {
            store.store(KEY, ArtifactSource.ofBytes(new byte[] {4, 2}));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertTrue(store.load(KEY, (in, size) -> in.transferTo(out)));
            assertArrayEquals(new byte[] {4, 2}, out.toByteArray());
        }
        assertTrue(Files.exists(share.resolve("artifacts/serde/" + KEY.cacheKey() + ".tar.zst")));
    }

    @Test
    void theCredentialChainsWarningsGoWhereTheCallerSays() throws Exception {
        env.put("KACHE_S3_BUCKET", "cache");
        env.put("KACHE_S3_ACCESS_KEY", "AKIDHALF");
        java.util.List<String> said = new java.util.ArrayList<>();
        Optional<io.kache.api.RemoteSettings> s = RemoteStores.withCredentials(config("[cache]\n").remoteSettings(),
                env, said::add);
        assertTrue(s.isPresent());
        assertEquals(1, said.size(), said.toString());
        assertTrue(said.get(0).startsWith("KACHE_S3_ACCESS_KEY is set but KACHE_S3_SECRET_KEY is not"), said.get(0));
        env.put("KACHE_S3_SECRET_KEY", "complete-secret");
        said.clear();
        RemoteStores.withCredentials(config("[cache]\n").remoteSettings(), env, said::add);
        assertEquals(java.util.List.of(), said, "a complete pair warns of nothing");
    }

    @Test
    void localOnlyAndDisabledOpenNothing() throws Exception {
        KacheConfig c = config(filesystemRemote());
        env.put("KACHE_LOCAL_ONLY", "true");
        assertEquals(Optional.empty(), RemoteStores.open(ConfigLoader.load(env, project), env));
        env.remove("KACHE_LOCAL_ONLY");
        env.put("KACHE_DISABLED", "1");
        assertEquals(Optional.empty(), RemoteStores.open(ConfigLoader.load(env, project), env));
        assertTrue(c.remoteSettings().isPresent());
    }

    @Test
    void remoteReadonlyReadsButRefusesEveryStore() throws Exception {
        try (ArtifactStore writable = RemoteStores.open(config(filesystemRemote()), env).orElseThrow()) {
            writable.store(KEY, ArtifactSource.ofBytes(new byte[] {1}));
        }
        env.put("KACHE_REMOTE_READONLY", "yes");
        try (ArtifactStore store = RemoteStores.open(ConfigLoader.load(env, project), env).orElseThrow()) {
            assertTrue(store.contains(KEY));
            assertTrue(store.load(KEY, (in, size) -> in.transferTo(java.io.OutputStream.nullOutputStream())));
            assertEquals(List.of(KEY), store.list("serde").toList());
            ArtifactKey other = new ArtifactKey("serde", "cd".repeat(32));
            StoreAccessDeniedException e = assertThrows(StoreAccessDeniedException.class,
                    () -> store.store(other, ArtifactSource.ofBytes(new byte[] {1})));
            assertTrue(e.getMessage().contains("remote_readonly"), e.getMessage());
            assertTrue(e.location().startsWith(share.toString()), e.location());
            assertFalse(store.contains(other), "nothing reached the backend");
        }
    }

    @Test
    void anUnknownClientIdNamesTheAvailableProviders() throws Exception {
        KacheConfig c = config(filesystemRemote() + "client = \"nfs-turbo\"\n");
        NoSuchProviderException e = assertThrows(NoSuchProviderException.class, () -> RemoteStores.open(c, Map.of()));
        assertTrue(e.getMessage().contains("nfs-turbo") && e.getMessage().contains("filesystem"), e.getMessage());
    }

    @Test
    void aMissingShareSurfacesAsMisconfigured() throws Exception {
        Files.delete(share);
        assertThrows(StoreMisconfiguredException.class, () -> RemoteStores.open(config(filesystemRemote()), env));
    }

    @Test
    void noProviderForTheTypeIsReported() throws Exception {
        KacheConfig c = config(filesystemRemote());
        assertThrows(NoSuchProviderException.class, () -> RemoteStores.open(c, StoreProviders.of(List.of())));
    }
}
