package io.kache.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigReportTest {

    @TempDir
    Path tmp;

    @Test
    void everyEntryCarriesItsSourceAndSecretsShowOnlyThatTheyAreSet() {
        ConfigFixture fx = new ConfigFixture(tmp);
        Path file = fx.projectFile(fx.cwd, "[cache]\ncompression_level = 7\n[cache.remote]\nbucket = \"b\"\n");
        fx.env("KACHE_S3_SECRET_KEY", "s3cr3t-value").env("KACHE_S3_REGION", "auto");
        List<ConfigEntry> entries = ConfigReport.entries(fx.load());
        Map<String, ConfigEntry> byKey = entries.stream().collect(Collectors.toMap(ConfigEntry::key, e -> e));

        assertEquals(new ConfigEntry("config_file", file.toString(), "search"), byKey.get("config_file"));
        assertEquals(new ConfigEntry("cache.compression_level", "7", file.toString()), byKey.get("cache.compression_level"));
        assertEquals(new ConfigEntry("cache.s3_concurrency", "16", "default"), byKey.get("cache.s3_concurrency"));
        assertEquals(new ConfigEntry("cache.remote.type", "s3", file.toString()), byKey.get("cache.remote.type"));
        assertEquals(new ConfigEntry("cache.remote.region", "auto", "KACHE_S3_REGION"), byKey.get("cache.remote.region"));
        assertEquals(new ConfigEntry("cache.remote.secret_key", "(set)", "KACHE_S3_SECRET_KEY"),
                byKey.get("cache.remote.secret_key"));
        assertEquals(new ConfigEntry("cache.remote.access_key", "(not set)", "default"),
                byKey.get("cache.remote.access_key"));
        assertFalse(entries.toString().contains("s3cr3t"), entries.toString());
    }

    /** A custom backend's options are shown with the file as their source, secret-looking ones masked. */
    @Test
    void aCustomBackendsOptionsAreShownAndSecretOnesMasked() {
        ConfigFixture fx = new ConfigFixture(tmp);
        Path file = fx.projectFile(fx.cwd, "[cache.remote]\ntype = \"sftp\"\nsas_token = \"tok-secret\"\nflavour = \"x\"\n");
        List<ConfigEntry> entries = ConfigReport.entries(withSftp(fx));
        Map<String, ConfigEntry> byKey = entries.stream().collect(Collectors.toMap(ConfigEntry::key, e -> e));
        assertEquals(new ConfigEntry("cache.remote.sas_token", "****", file.toString()), byKey.get("cache.remote.sas_token"));
        assertEquals(new ConfigEntry("cache.remote.flavour", "x", file.toString()), byKey.get("cache.remote.flavour"));
        assertFalse(entries.toString().contains("tok-secret"), entries.toString());
    }

    /** The built-in types take no options, so these tests use a custom type a provider serves. */
    private static KacheConfig withSftp(ConfigFixture fx) {
        return new ConfigLoader(fx.env, fx.cwd, () -> java.util.Set.of("sftp")).load();
    }

    /** An option of any name holding a URL with a password (a proxy) shows the URL, masked where the password was. */
    @Test
    void aUrlWithUserInfoInAnyOptionIsMasked() {
        ConfigFixture fx = new ConfigFixture(tmp);
        fx.projectFile(fx.cwd, "[cache.remote]\ntype = \"sftp\"\nproxy = \"http://user:SECRETPW1@proxy:3128\"\n");
        List<ConfigEntry> entries = ConfigReport.entries(withSftp(fx));
        Map<String, ConfigEntry> byKey = entries.stream().collect(Collectors.toMap(ConfigEntry::key, e -> e));
        assertEquals("http://****@proxy:3128", byKey.get("cache.remote.proxy").value());
        assertFalse(entries.toString().contains("SECRETPW1") || entries.toString().contains("user:"), entries.toString());
    }

    /** The AWS files' own spellings of credentials are refused in a config file, as kache's are. */
    @Test
    void awsCredentialKeysAreRefusedInAConfigFile() {
        for (String key : List.of("aws_access_key_id", "aws_secret_access_key", "aws_session_token")) {
            ConfigFixture fx = new ConfigFixture(tmp.resolve(key));
            Path file = fx.projectFile(fx.cwd, "[cache.remote]\nbucket = \"b\"\n" + key + " = \"AKIAPASTED1234\"\n");
            ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, fx::load, key);
            assertTrue(e.getMessage().contains("cache.remote." + key) && e.getMessage().contains(file.toString()),
                    e.getMessage());
            assertFalse(e.getMessage().contains("AKIAPASTED1234"), e.getMessage());
        }
    }

    @Test
    void withoutRemoteOneEntrySaysSo() {
        List<ConfigEntry> entries = ConfigReport.entries(new ConfigFixture(tmp).load());
        assertEquals(new ConfigEntry("cache.remote", "(none)", "default"), entries.get(entries.size() - 1));
    }

    @Test
    void durationsAreShownAsTheConfigWouldSpellThem() {
        assertEquals("3s", ConfigReport.format(Duration.ofSeconds(3)));
        assertEquals("500ms", ConfigReport.format(Duration.ofMillis(500)));
        assertEquals("90s", ConfigReport.format(Duration.ofSeconds(90)));
        assertEquals("2h", ConfigReport.format(Duration.ofHours(2)));
        assertEquals("1w", ConfigReport.format(Duration.ofDays(7)));
    }
}
