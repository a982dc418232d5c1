package io.kache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.core.Invocation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code kache config} run in-process, as Main would run it, against a temp project. */
class ConfigCommandTest {

    @TempDir
    Path tmp;
    Path project;
    Path share;
    Path file;
    Map<String, String> env = new HashMap<>();

    /** What one in-process run of the CLI produced. */
    record Run(int exit, String out, String err) {
        Optional<String> line(String key) {
            return out.lines().filter(l -> l.startsWith(key + " ")).findFirst();
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        project = Files.createDirectories(tmp.resolve("project/crates/app"));
        share = Files.createDirectories(tmp.resolve("share"));
        env.put("HOME", tmp.resolve("home").toString());
    }

    private Run kache(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = KacheCli.run(new Invocation(List.of(args), env, project, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private void projectFile(String toml) throws Exception {
        file = Files.writeString(tmp.resolve("project/.kache.toml"), toml);
    }

    private static void assertColumns(Run run, String key, String value, String source) {
        String line = run.line(key).orElseThrow(() -> new AssertionError("no line for " + key + " in\n" + run.out()));
        List<String> columns = Arrays.asList(line.trim().split("\\s{2,}"));
        assertEquals(List.of(key, value, source), columns, line);
    }

    @Test
    void theCredentialSourceIsShownButNeverTheSecret() throws Exception {
        env.put("KACHE_S3_BUCKET", "cache");
        Path aws = Files.createDirectories(tmp.resolve("home/.aws"));
        Files.writeString(aws.resolve("credentials"), "[ci]\naws_access_key_id = AKIDPROFILE\n"
                + "aws_secret_access_key = profile-secret-value\n");
        env.put("KACHE_S3_PROFILE", "ci");
        Run fromProfile = kache("config");
        assertEquals(0, fromProfile.exit(), fromProfile.err());
        String line = fromProfile.line("cache.remote.credentials").orElseThrow();
        assertTrue(line.contains("profile ci") || line.contains("[ci]") || line.contains("'ci'"), line);
        assertTrue(line.contains("static access keys"), line);
        Files.writeString(aws.resolve("config"), "[profile federated]\nrole_arn = arn:aws:iam::1:role/r\n"
                + "web_identity_token_file = /var/run/token\n");
        env.put("KACHE_S3_PROFILE", "federated");
        String webIdentity = kache("config").line("cache.remote.credentials").orElseThrow();
        assertTrue(webIdentity.contains("web identity (profile role_arn + web_identity_token_file)"), webIdentity);
        env.put("KACHE_S3_PROFILE", "ci");
        env.put("KACHE_S3_ACCESS_KEY", "AKIDPAIR");
        env.put("KACHE_S3_SECRET_KEY", "pair-secret-value");
        Run fromPair = kache("config", "--json");
        assertTrue(fromPair.out().contains("KACHE_S3_ACCESS_KEY"), fromPair.out());
        for (Run r : List.of(fromProfile, fromPair)) {
            assertFalse(r.out().contains("secret-value") || r.err().contains("secret-value"), r.out());
            assertFalse(r.out().contains("AKIDP"), r.out());
        }
    }

    @Test
    void aHalfSetKeyPairIsAWarningOnStderrNotALogLine() throws Exception {
        env.put("KACHE_S3_BUCKET", "cache");
        env.put("KACHE_S3_ACCESS_KEY", "AKIDHALF");
        Run run = kache("config", "--json");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.err().startsWith("kache config: warning: KACHE_S3_ACCESS_KEY is set but KACHE_S3_SECRET_KEY"
                + " is not"), run.err());
        assertFalse(run.out().contains("warning"), "stdout stays the JSON a machine reads: " + run.out());
        env.put("KACHE_S3_SECRET_KEY", "half-secret-value");
        assertEquals("", kache("config").err(), "the complete pair warns of nothing");
    }

    @Test
    void printsEveryValueWithItsSource() throws Exception {
        projectFile("[cache]\ncompression_level = 12\n\n[cache.remote]\ntype = \"filesystem\"\npath = \"../share\"\n");
        env.put("KACHE_MAX_SIZE", "2GiB");
        Run run = kache("config");
        assertEquals(0, run.exit(), run.err());
        assertEquals("", run.err());
        assertColumns(run, "config_file", file.toString(), "search");
        assertColumns(run, "cache.compression_level", "12", file.toString());
        assertColumns(run, "cache.local_max_size", "2.0 GiB (2147483648 bytes)", "KACHE_MAX_SIZE");
        assertColumns(run, "cache.s3_concurrency", "16", "default");
        assertColumns(run, "cache.local_store", tmp.resolve("home/.cache/kache").toString(), "default");
        assertColumns(run, "cache.remote.type", "filesystem", file.toString());
        assertColumns(run, "cache.remote.path", share.toString(), file.toString());
        assertColumns(run, "cache.remote.prefix", "artifacts", "default");
        assertTrue(run.line("cache.remote.provider").orElseThrow().contains("filesystem (provider=filesystem, path="
                + share), run.out());
        assertFalse(run.line("cache.remote.bucket").isPresent(), "s3 keys do not apply to a filesystem remote");
    }

    @Test
    void jsonMapsEachKeyToValueAndSource() throws Exception {
        projectFile("[cache.remote]\ntype = \"filesystem\"\npath = \"" + share + "\"\n");
        Run run = kache("config", "--json");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().startsWith("{\n") && run.out().endsWith("}\n"), run.out());
        assertTrue(run.out().contains("\"cache.remote.type\": {\"value\": \"filesystem\", \"source\": \""
                + file + "\"}"), run.out());
        assertTrue(run.out().contains("\"cache.compression_level\": {\"value\": \"3\", \"source\": \"default\"}"),
                run.out());
    }

    @Test
    void secretsShowOnlyThatTheyAreSet() throws Exception {
        env.put("KACHE_S3_BUCKET", "team-cache");
        env.put("KACHE_S3_ACCESS_KEY", "AKIAIOSFODNN7EXAMPLE");
        env.put("KACHE_S3_SECRET_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        for (String[] args : new String[][] {{"config"}, {"config", "--json"}}) {
            Run run = kache(args);
            assertEquals(0, run.exit(), run.err());
            assertFalse(run.out().contains("wJalr") || run.out().contains("AKIAIOSF"), run.out());
            assertFalse(run.out().contains("EXAMPLE"), run.out());
        }
        Run run = kache("config");
        assertColumns(run, "cache.remote.secret_key", "(set)", "KACHE_S3_SECRET_KEY");
        assertColumns(run, "cache.remote.access_key", "(set)", "KACHE_S3_ACCESS_KEY");
        assertColumns(run, "cache.remote.bucket", "team-cache", "KACHE_S3_BUCKET");
    }

    static Stream<String[]> badConfigs() {
        // {file content or "", env var, env value, expected message fragment}
        return Stream.of(
                new String[] {"[cache]\ncompression_level = 0\n", "", "", ".kache.toml:2: cache.compression_level: 0 is out of range; allowed: an integer from 1 to 22"},
                new String[] {"[cache.remote]\ntype = \"ftp\"\n", "", "", ".kache.toml:2: cache.remote.type: unknown remote type 'ftp'; allowed: filesystem, s3"},
                new String[] {"[cache.remote]\ntype = \"s3\"\n", "", "", "cache.remote.bucket: remote type s3 needs a bucket"},
                new String[] {"[cache]\nlocal_max_size = \"50XB\"\n", "", "", "cache.local_max_size: '50XB' is not a size"},
                new String[] {"", "KACHE_REMOTE_READONLY", "sometimes", "environment variable KACHE_REMOTE_READONLY: cache.remote_readonly: 'sometimes' is not a boolean; allowed: true, false, 1, 0, yes, no"},
                new String[] {"[cache]\nkey_salt = \"a\"\nlocal_only = = 1\n", "", "", ".kache.toml:3: syntax: TOML syntax error"},
                new String[] {"[cache]\nlocal_stor = \"/x\"\n", "", "", ".kache.toml:2: cache.local_stor: unknown key"},
                new String[] {"", "KACHE_CONFIG", "/nonexistent/kache.toml", "environment variable KACHE_CONFIG: '/nonexistent/kache.toml' does not exist"});
    }

    @ParameterizedTest
    @MethodSource("badConfigs")
    void badConfigExitsTwoWithOneLineNamingTheProblem(String toml, String var, String value, String expected)
            throws Exception {
        if (!toml.isEmpty()) {
            projectFile(toml);
        }
        if (!var.isEmpty()) {
            env.put(var, value);
        }
        Run run = kache("config");
        assertEquals(2, run.exit(), run.out() + run.err());
        assertEquals("", run.out());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().startsWith("kache: "), run.err());
        assertTrue(run.err().contains(expected), run.err());
        assertFalse(run.err().contains("Exception") || run.err().contains("\tat "), run.err());
    }

    @ParameterizedTest
    @MethodSource("commandsThatReadTheConfig")
    void anEndpointsCredentialsAreNeverShown(List<String> command) {
        env.put("KACHE_S3_BUCKET", "b");
        env.put("KACHE_S3_ENDPOINT", "http://AKIDURL:SECRETURL@127.0.0.1:9/");
        Run run = kache(command.toArray(String[]::new));
        assertEquals(2, run.exit(), run.out() + run.err());
        assertFalse((run.out() + run.err()).contains("AKIDURL") || (run.out() + run.err()).contains("SECRETURL"),
                run.out() + run.err());
        assertEquals("kache: environment variable KACHE_S3_ENDPOINT: cache.remote.endpoint:"
                + " 'http://****@127.0.0.1:9/' has user info (an '@'); credentials go in KACHE_S3_ACCESS_KEY and"
                + " KACHE_S3_SECRET_KEY; allowed: an http:// or https:// URL with a host, e.g. https://s3.example.com"
                + " or http://127.0.0.1:9000", run.err().strip());
    }

    static Stream<List<String>> commandsThatReadTheConfig() {
        return Stream.of(List.of("config"), List.of("config", "--json"), List.of("doctor"));
    }

    @Test
    void withoutSubcommandUsageGoesToTheInvocationsOut() {
        Run run = kache();
        assertEquals(0, run.exit());
        assertTrue(run.out().contains("Usage: kache"), run.out());
        assertTrue(run.out().contains("config"), run.out());
    }
}
