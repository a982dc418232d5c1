package io.kache.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.RemoteSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path tmp;
    ConfigFixture fx;

    @BeforeEach
    void setUp() {
        fx = new ConfigFixture(tmp);
    }

    @Test
    void withoutFileOrEnvEveryValueIsTheDefault() {
        KacheConfig c = fx.load();
        assertEquals(fx.home.resolve(".cache/kache"), c.localStore());
        assertEquals(50L << 30, c.localMaxSize());
        assertEquals(3, c.compressionLevel());
        assertEquals(16, c.s3Concurrency());
        assertFalse(c.remoteReadonly());
        assertFalse(c.localOnly());
        assertFalse(c.disabled());
        assertEquals("", c.keySalt());
        assertEquals(Duration.ofSeconds(3), c.remoteDeadline());
        assertEquals(KeyEnvVars.NONE, c.keyEnvVars());
        assertEquals(CratePatterns.NONE, c.bypassCrates());
        assertEquals(Optional.empty(), c.remote());
        assertEquals(Optional.empty(), c.remoteSettings());
        for (ConfigKey key : ConfigKey.values()) {
            assertEquals(ConfigOrigin.Kind.DEFAULT, c.origin(key).kind(), key.key());
        }
    }

    @Test
    void xdgCacheHomeMovesTheDefaultLocalStore() {
        fx.env("XDG_CACHE_HOME", tmp.resolve("xdg-cache").toString());
        assertEquals(tmp.resolve("xdg-cache/kache"), fx.load().localStore());
    }

    @Test
    void relativeXdgCacheHomeIsIgnoredAsTheSpecSays() {
        fx.env("XDG_CACHE_HOME", "relative/cache");
        assertEquals(fx.home.resolve(".cache/kache"), fx.load().localStore());
    }

    @Test
    void fileValuesAreReadWithTheirLines() {
        Path file = fx.projectFile(fx.cwd, """
                [cache]
                local_store = "store"
                local_max_size = "2GiB"
                compression_level = 19
                s3_concurrency = 4
                remote_readonly = true
                local_only = "yes"
                key_salt = "v2"
                remote_deadline = "500ms"
                key_env_vars = "SQLX_*, my-app:DATABASE_URL"
                bypass_crates = "my_macros sys_*"
                """);
        KacheConfig c = fx.load();
        assertEquals(fx.cwd.resolve("store"), c.localStore(), "relative to the file's directory");
        assertEquals(2L << 30, c.localMaxSize());
        assertEquals(19, c.compressionLevel());
        assertEquals(4, c.s3Concurrency());
        assertTrue(c.remoteReadonly());
        assertTrue(c.localOnly());
        assertEquals("v2", c.keySalt());
        assertEquals(Duration.ofMillis(500), c.remoteDeadline());
        assertEquals("SQLX_*, my_app:DATABASE_URL", c.keyEnvVars().toString());
        assertEquals("my_macros, sys_*", c.bypassCrates().toString());
        assertEquals(Optional.of(file), c.file());
        assertEquals(ConfigOrigin.file(file, 4), c.origin(ConfigKey.COMPRESSION_LEVEL));
        assertEquals(file.toString(), c.origin(ConfigKey.LOCAL_STORE).source());
    }

    @Test
    void relativeFilePathsAreTakenFromTheFilesDirectoryAndEnvPathsFromTheWorkingDirectory() {
        fx.projectFile(fx.root.resolve("work"), "[cache]\nlocal_store = \"../cache\"\n");
        assertEquals(fx.root.resolve("cache"), fx.load().localStore());
        fx.env("KACHE_CACHE_DIR", "here");
        assertEquals(fx.cwd.resolve("here"), fx.load().localStore());
    }

    @Test
    void tildeMeansHome() {
        fx.env("KACHE_CACHE_DIR", "~/kc");
        assertEquals(fx.home.resolve("kc"), fx.load().localStore());
    }

    @Test
    void sizesAcceptPlainByteCounts() {
        fx.projectFile(fx.cwd, "[cache]\nlocal_max_size = 1048576\n");
        assertEquals(1L << 20, fx.load().localMaxSize());
    }

    @Test
    void booleansAcceptEveryDocumentedSpellingInAnyCase() {
        for (String yes : new String[] {"true", "TRUE", "1", "yes", "Yes"}) {
            assertTrue(fx.env("KACHE_DISABLED", yes).load().disabled(), yes);
        }
        for (String no : new String[] {"false", "False", "0", "no", "NO"}) {
            assertFalse(fx.env("KACHE_DISABLED", no).load().disabled(), no);
        }
    }

    @Test
    void anEmptyVariableCountsAsUnset() {
        fx.projectFile(fx.cwd, "[cache]\ncompression_level = 7\n");
        fx.env("KACHE_COMPRESSION_LEVEL", "");
        assertEquals(7, fx.load().compressionLevel());
    }

    @Nested
    class Remote {

        @Test
        void filesystemRemoteFromTheFile() {
            Path file = fx.projectFile(fx.cwd, """
                    [cache.remote]
                    type = "filesystem"
                    path = "../../shared"
                    prefix = "/team/kache/"
                    timeout = "30s"
                    """);
            RemoteConfig r = fx.load().remote().orElseThrow();
            assertEquals("filesystem", r.type());
            assertEquals(Optional.of(fx.root.resolve("work/shared")), r.path());
            assertEquals("team/kache", r.prefix());
            assertEquals(Duration.ofSeconds(30), r.timeout());
            assertEquals(Map.of(), r.options());
            RemoteSettings s = fx.load().remoteSettings().orElseThrow();
            assertEquals("filesystem", s.type());
            assertEquals("team/kache", s.layout().prefix());
            assertEquals(ConfigOrigin.file(file, 2), fx.load().origin(ConfigKey.REMOTE_TYPE));
        }

        @Test
        void aBucketWithoutTypeMeansS3() {
            fx.projectFile(fx.cwd, "[cache.remote]\nbucket = \"b1\"\nendpoint = \"http://127.0.0.1:9000\"\n");
            RemoteConfig r = fx.load().remote().orElseThrow();
            assertEquals("s3", r.type());
            assertEquals(Optional.of("b1"), r.bucket());
            assertEquals(Optional.of(URI.create("http://127.0.0.1:9000")), r.endpoint());
            assertEquals("us-east-1", r.region());
            assertEquals("artifacts", r.prefix());
            assertEquals(Duration.ofSeconds(10), r.timeout());
        }

        @Test
        void onlyTheBucketVariableMeansS3() {
            fx.env("KACHE_S3_BUCKET", "ci-cache").env("KACHE_S3_REGION", "auto").env("KACHE_S3_CLIENT", "s3-minio");
            KacheConfig c = fx.load();
            RemoteSettings s = c.remoteSettings().orElseThrow();
            assertEquals("s3", s.type());
            assertEquals(Optional.of("ci-cache"), s.bucket());
            assertEquals("auto", s.region());
            assertEquals(Optional.of("s3-minio"), s.client());
            assertEquals(Optional.empty(), s.credentials());
            assertEquals("KACHE_S3_BUCKET", c.origin(ConfigKey.REMOTE_TYPE).source());
        }

        @Test
        void s3VariablesDoNotRedirectAFilesystemRemote() {
            fx.projectFile(fx.cwd, "[cache.remote]\ntype = \"filesystem\"\npath = \"/srv/kache\"\n");
            fx.env("KACHE_S3_BUCKET", "other").env("KACHE_S3_PREFIX", "elsewhere");
            RemoteConfig r = fx.load().remote().orElseThrow();
            assertEquals("filesystem", r.type());
            assertEquals(Optional.empty(), r.bucket());
            assertEquals("artifacts", r.prefix());
        }

        @Test
        void credentialsAreKeptButNeverShown() {
            fx.env("KACHE_S3_BUCKET", "b").env("KACHE_S3_ACCESS_KEY", "AKIAEXAMPLEKEY")
                    .env("KACHE_S3_SECRET_KEY", "wJalrXUtnFEMIsecretvalue");
            KacheConfig c = fx.load();
            RemoteConfig r = c.remote().orElseThrow();
            assertEquals("AKIAEXAMPLEKEY", r.accessKey().orElseThrow().reveal());
            assertEquals("wJalrXUtnFEMIsecretvalue", r.secretKey().orElseThrow().reveal());
            for (String shown : new String[] {c.toString(), r.toString(), c.remoteSettings().toString()}) {
                assertFalse(shown.contains("wJalrXUtnFEMI"), shown);
                assertFalse(shown.contains("AKIAEXAMPLE"), shown);
            }
        }

        @Test
        void secretLookingOptionsAreMaskedInToString() {
            fx.projectFile(fx.cwd, "[cache.remote]\ntype = \"sftp\"\napi_token = \"tok-123\"\n");
            RemoteConfig r = new ConfigLoader(fx.env, fx.cwd, () -> java.util.Set.of("sftp")).load().remote().orElseThrow();
            assertEquals("tok-123", r.options().get("api_token"), "the backend still gets the value");
            assertFalse(r.toString().contains("tok-123"), r.toString());
        }

        @Test
        void localOnlyAndDisabledHideTheRemote() {
            fx.env("KACHE_S3_BUCKET", "b");
            assertTrue(fx.load().remoteSettings().isPresent());
            assertEquals(Optional.empty(), fx.env("KACHE_LOCAL_ONLY", "1").load().remoteSettings());
            fx.env.remove("KACHE_LOCAL_ONLY");
            assertEquals(Optional.empty(), fx.env("KACHE_DISABLED", "yes").load().remoteSettings());
        }

        @Test
        void remoteReadonlyIsCarriedIntoTheSettings() {
            fx.env("KACHE_S3_BUCKET", "b").env("KACHE_REMOTE_READONLY", "true");
            assertTrue(fx.load().remoteSettings().orElseThrow().readOnly());
        }

        @Test
        void aCustomTypeIsAcceptedWhenAProviderServesIt() {
            fx.projectFile(fx.cwd, "[cache.remote]\ntype = \"sftp\"\nhost = \"h\"\nport = 22\n");
            KacheConfig c = new ConfigLoader(fx.env, fx.cwd, () -> java.util.Set.of("sftp")).load();
            RemoteConfig r = c.remote().orElseThrow();
            assertEquals("sftp", r.type());
            assertEquals(Map.of("host", "h", "port", "22"), r.options());
            RemoteSettings s = c.remoteSettings().orElseThrow();
            assertEquals(Map.of("host", "h", "port", "22"), s.options(), "passed on to the provider");
        }

        /** Another S3 client, chosen by its id, may read options of its own; only kache's own refuse them. */
        @Test
        void anotherS3ClientGetsItsOwnOptionsWhileKachesRefuseThem() {
            fx.projectFile(fx.cwd, "[cache.remote]\nbucket = \"b\"\nclient = \"my-s3\"\nproxy = \"socks5://h:1080\"\n");
            assertEquals(Map.of("proxy", "socks5://h:1080"), fx.load().remoteSettings().orElseThrow().options());

            fx.projectFile(fx.cwd, "[cache.remote]\nbucket = \"b\"\nclient = \"s3-aws\"\nproxy = \"socks5://h:1080\"\n");
            ConfigException e = assertThrows(ConfigException.class, () -> fx.load());
            assertTrue(e.getMessage().contains("cache.remote.proxy"), e.getMessage());
        }
    }
}
