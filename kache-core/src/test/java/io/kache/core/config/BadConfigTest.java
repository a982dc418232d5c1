package io.kache.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of bad configuration fails with a message naming the key, where it was set and what is allowed. */
class BadConfigTest {

    @TempDir
    Path tmp;

    /**
     * @param toml the project file, or null for none
     * @param origin {@code file:LINE}, {@code env:VAR} or {@code default}
     */
    record Case(String name, String toml, Map<String, String> env, String key, String origin, String allowed) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("key_env_vars item with a bad crate", "[cache]\nkey_env_vars = \"SQLX_*, my*:URL\"\n", Map.of(),
                        "cache.key_env_vars", "file:2", "allowed: names separated by commas or spaces"),
                new Case("key_env_vars with a character no name has", null, Map.of("KACHE_KEY_ENV_VARS", "A=B"),
                        "cache.key_env_vars", "env:KACHE_KEY_ENV_VARS", "'A=B' is not a name or a glob"),
                new Case("bypass_crates not a string", "[cache]\nbypass_crates = 3\n", Map.of(),
                        "cache.bypass_crates", "file:2", "is not a string"),
                new Case("bypass_crates with a path", null, Map.of("KACHE_BYPASS_CRATES", "app, ../x"),
                        "cache.bypass_crates", "env:KACHE_BYPASS_CRATES", "allowed: crate names"),
                new Case("compression level 0", "[cache]\ncompression_level = 0\n", Map.of(),
                        "cache.compression_level", "file:2", "allowed: an integer from 1 to 22"),
                new Case("compression level 23 in env", null, Map.of("KACHE_COMPRESSION_LEVEL", "23"),
                        "cache.compression_level", "env:KACHE_COMPRESSION_LEVEL", "allowed: an integer from 1 to 22"),
                new Case("compression level not a number", "[cache]\ncompression_level = \"fast\"\n", Map.of(),
                        "cache.compression_level", "file:2", "is not an integer"),
                new Case("unknown remote type", "[cache.remote]\ntype = \"ftp\"\n", Map.of(),
                        "cache.remote.type", "file:2", "allowed: filesystem, s3"),
                new Case("s3 without bucket", "[cache.remote]\ntype = \"s3\"\nregion = \"eu-west-1\"\n", Map.of(),
                        "cache.remote.bucket", "file:2", "KACHE_S3_BUCKET"),
                new Case("size 50XB in file", "[cache]\nlocal_max_size = \"50XB\"\n", Map.of(),
                        "cache.local_max_size", "file:2", "GiB"),
                new Case("size 50XB in env", null, Map.of("KACHE_MAX_SIZE", "50XB"),
                        "cache.local_max_size", "env:KACHE_MAX_SIZE", "GiB"),
                new Case("non-boolean flag in file", "[cache]\n\nremote_readonly = \"maybe\"\n", Map.of(),
                        "cache.remote_readonly", "file:3", "allowed: true, false, 1, 0, yes, no"),
                new Case("non-boolean flag in env", null, Map.of("KACHE_LOCAL_ONLY", "perhaps"),
                        "cache.local_only", "env:KACHE_LOCAL_ONLY", "allowed: true, false, 1, 0, yes, no"),
                new Case("TOML syntax error", "[cache]\ncompression_level = 3\nkey_salt = = \"x\"\n", Map.of(),
                        "syntax", "file:3", "TOML syntax error"),
                new Case("misspelt key", "[cache]\ncompresion_level = 3\n", Map.of(),
                        "cache.compresion_level", "file:2", "allowed: [cache.remote], bypass_crates, compression_level"),
                new Case("env-only key in file", "[cache]\ndisabled = true\n", Map.of(),
                        "cache.disabled", "file:2", "unknown key"),
                new Case("unknown top-level table", "[build]\njobs = 4\n", Map.of(),
                        "build", "file:1", "allowed: the [cache] table"),
                new Case("cache is not a table", "cache = 3\n", Map.of(),
                        "cache", "file:1", "allowed: [cache]"),
                new Case("ftp endpoint", "[cache.remote]\nbucket = \"b\"\nendpoint = \"ftp://h\"\n", Map.of(),
                        "cache.remote.endpoint", "file:3", "allowed: an http:// or https:// URL"),
                new Case("endpoint without host in env", null,
                        Map.of("KACHE_S3_BUCKET", "b", "KACHE_S3_ENDPOINT", "http:///x"),
                        "cache.remote.endpoint", "env:KACHE_S3_ENDPOINT", "with a host"),
                new Case("prefix with ..", "[cache.remote]\nbucket = \"b\"\nprefix = \"a/../b\"\n", Map.of(),
                        "cache.remote.prefix", "file:3", "without '.', '..' or '\\'"),
                new Case("prefix .", "[cache.remote]\nbucket = \"b\"\nprefix = \".\"\n", Map.of(),
                        "cache.remote.prefix", "file:3", "without '.', '..' or '\\'"),
                new Case("prefix with backslash in env", null, Map.of("KACHE_S3_BUCKET", "b", "KACHE_S3_PREFIX", "a\\b"),
                        "cache.remote.prefix", "env:KACHE_S3_PREFIX", "without '.', '..' or '\\'"),
                new Case("credentials in the file", "[cache.remote]\nbucket = \"b\"\nsecret_key = \"s\"\n", Map.of(),
                        "cache.remote.secret_key", "file:3", "KACHE_S3_SECRET_KEY"),
                new Case("bucket on a filesystem remote",
                        "[cache.remote]\ntype = \"filesystem\"\npath = \"/x\"\nbucket = \"b\"\n", Map.of(),
                        "cache.remote.bucket", "file:4", "does not apply to remote type filesystem"),
                // The built-in types take no options: a misspelt key would leave the default in place.
                new Case("misspelt region on s3", "[cache.remote]\nbucket = \"b\"\nregoin = \"eu-west-1\"\n", Map.of(),
                        "cache.remote.regoin", "file:3", "unknown key (did you mean region?) for remote type s3;"
                        + " allowed: bucket, client, endpoint, prefix, profile, region, timeout, type"),
                new Case("misspelt endpoint on s3 chosen by the bucket variable",
                        "[cache.remote]\nendpiont = \"http://127.0.0.1:9000\"\n", Map.of("KACHE_S3_BUCKET", "b"),
                        "cache.remote.endpiont", "file:2", "(did you mean endpoint?)"),
                new Case("misspelt path on a filesystem remote",
                        "[cache.remote]\ntype = \"filesystem\"\npath = \"/x\"\nprefx = \"p\"\n", Map.of(),
                        "cache.remote.prefx", "file:4", "unknown key (did you mean prefix?) for remote type filesystem;"
                        + " allowed: client, path, prefix, timeout, type"),
                // kache config lists these names after the options: an option of the same name made its JSON repeat a key.
                new Case("an option named provider", "[cache.remote]\ntype = \"sftp\"\nprovider = \"gcs\"\n", Map.of(),
                        "cache.remote.provider", "file:3", "allowed: another name for this option"),
                new Case("an option named credentials", "[cache.remote]\ntype = \"sftp\"\ncredentials = \"x\"\n", Map.of(),
                        "cache.remote.credentials", "file:3", "allowed: another name for this option"),
                new Case("filesystem without path", "[cache.remote]\ntype = \"filesystem\"\n", Map.of(),
                        "cache.remote.path", "file:2", "path = \"/shared/dir\""),
                new Case("remote table without type", "[cache.remote]\nprefix = \"p\"\n", Map.of(),
                        "cache.remote.type", "file:1", "type = \"s3\""),
                new Case("duration without unit", "[cache.remote]\nbucket = \"b\"\ntimeout = \"10\"\n", Map.of(),
                        "cache.remote.timeout", "file:3", "ms, s, m, h, d or w"),
                new Case("zero deadline", null, Map.of("KACHE_REMOTE_DEADLINE", "0s"),
                        "cache.remote_deadline", "env:KACHE_REMOTE_DEADLINE", "a positive duration"),
                // Past what a Duration or its milliseconds hold: once a stack trace naming nothing.
                new Case("deadline of 9999999999999999 weeks", null, Map.of("KACHE_REMOTE_DEADLINE", "9999999999999999w"),
                        "cache.remote_deadline", "env:KACHE_REMOTE_DEADLINE", "at most 36500d"),
                new Case("deadline of a million million days", "[cache]\nremote_deadline = \"1000000000000d\"\n",
                        Map.of(), "cache.remote_deadline", "file:2", "at most 36500d"),
                new Case("deadline of twenty digits", null, Map.of("KACHE_REMOTE_DEADLINE", "99999999999999999999ms"),
                        "cache.remote_deadline", "env:KACHE_REMOTE_DEADLINE", "at most 36500d"),
                new Case("zero concurrency", null, Map.of("KACHE_S3_CONCURRENCY", "0"),
                        "cache.s3_concurrency", "env:KACHE_S3_CONCURRENCY", "from 1 to 1024"),
                new Case("bad bucket name", null, Map.of("KACHE_S3_BUCKET", "a/b"),
                        "cache.remote.bucket", "env:KACHE_S3_BUCKET", "a bucket name"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badConfigNamesKeyOriginAndAllowedValues(Case c) {
        ConfigFixture fx = new ConfigFixture(tmp);
        Path file = c.toml() == null ? null : fx.projectFile(fx.cwd, c.toml());
        fx.env.putAll(c.env());
        ConfigException e = assertThrows(ConfigException.class, fx::load);
        String expectedOrigin = c.origin().startsWith("file:") ? file + ":" + c.origin().substring(5)
                : c.origin().startsWith("env:") ? "environment variable " + c.origin().substring(4)
                : c.origin();
        assertEquals(c.key(), e.key(), e.getMessage());
        assertTrue(e.getMessage().startsWith(expectedOrigin + ": " + c.key() + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(c.allowed()), e.getMessage());
    }

    @Test
    void noHomeAndNoCacheDirNamesTheWayOut() {
        ConfigFixture fx = new ConfigFixture(tmp);
        fx.env.remove("HOME");
        ConfigException e = assertThrows(ConfigException.class, fx::load);
        assertEquals("cache.local_store", e.key());
        assertTrue(e.getMessage().contains("KACHE_CACHE_DIR"), e.getMessage());
    }

    @Test
    void aSecretNeverAppearsInAnError() {
        ConfigFixture fx = new ConfigFixture(tmp);
        fx.env("KACHE_S3_SECRET_KEY", "topsecretvalue").env("KACHE_S3_BUCKET", "b").env("KACHE_S3_CONCURRENCY", "x");
        ConfigException e = assertThrows(ConfigException.class, fx::load);
        assertFalse(e.getMessage().contains("topsecretvalue"), e.getMessage());
    }
}
