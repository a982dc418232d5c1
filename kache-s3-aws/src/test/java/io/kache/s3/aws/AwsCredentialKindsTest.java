package io.kache.s3.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactStore;
import io.kache.api.RemoteSettings;
import io.kache.api.S3CredentialSource.Kind;
import io.kache.api.StoreException;
import io.kache.api.StoreMisconfiguredException;
import io.kache.core.remote.s3.CredentialResolution;
import io.kache.core.remote.s3.S3CredentialChain;
import io.kache.testkit.GeneratedSource;
import io.kache.testkit.Deadline;
import io.kache.testkit.TestKeys;
import io.kache.testkit.s3.S3TestServer;
import io.kache.testkit.s3.StsTestServer;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;

/**
 * Credentials the AWS CLI finds and static keys do not cover, each resolved by kache's chain from
 * an explicit environment and used for a real round trip against the in-process S3 server (which
 * checks SigV4 signatures with its one key pair): a {@code credential_process} profile, web
 * identity from the environment and from a profile, and a {@code role_arn} + {@code source_profile}
 * profile, the last three through a stand-in STS on loopback.
 */
class AwsCredentialKindsTest {

    private static final String BUCKET = "creds";
    private static final String ACCESS = "AKIDSERVER";
    private static final String SECRET = "server-secret-1234";
    private static final String SESSION_TOKEN = "session-token-5678";

    @TempDir
    Path dir;

    private S3TestServer s3;
    private final Map<String, String> env = new HashMap<>();
    private Path configFile;

    @BeforeEach
    void start() throws Exception {
        s3 = S3TestServer.start(dir.resolve("s3"), ACCESS, SECRET);
        s3.createBucket(BUCKET);
        configFile = dir.resolve("aws-config");
        env.put("HOME", dir.toString());
        env.put("AWS_CONFIG_FILE", configFile.toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("aws-credentials").toString());
    }

    @AfterEach
    void stop() {
        s3.close();
    }

    @Test
    void credentialProcessProfileSignsWithTheKeysTheProcessPrints() throws Exception {
        Path script = dir.resolve("creds.sh");
        Files.writeString(script, "#!/bin/sh\nprintf '{\"Version\": 1, \"AccessKeyId\": \"%s\", "
                + "\"SecretAccessKey\": \"%s\"}\\n' " + ACCESS + " " + SECRET + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        Files.writeString(configFile, "[profile proc]\ncredential_process = " + script + "\n");
        env.put("KACHE_S3_PROFILE", "proc");

        RemoteSettings settings = resolved(Kind.PROFILE_CREDENTIAL_PROCESS);
        assertRoundTrip(settings);
    }

    @Test
    void credentialProcessPrintingWrongKeysIsRefusedByTheServerWithoutShowingThem() throws Exception {
        Path script = dir.resolve("creds.sh");
        Files.writeString(script, "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"" + ACCESS
                + "\", \"SecretAccessKey\": \"wrong-secret-9999\"}'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        Files.writeString(configFile, "[profile proc]\ncredential_process = " + script + "\n");
        env.put("KACHE_S3_PROFILE", "proc");

        try (ArtifactStore store = new AwsS3StoreProvider().open(resolved(Kind.PROFILE_CREDENTIAL_PROCESS))) {
            StoreException e = assertThrows(StoreException.class,
                    () -> store.store(TestKeys.key("serde", 1), new GeneratedSource(100, 1)));
            assertFalse(e.toString().contains("wrong-secret-9999"), e.toString());
        }
    }

    /**
     * A credential_process that fails, in each way the AWS CLI's format allows: the remote does not
     * open, with a typed error naming the profile and what failed, never what the process wrote.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "echo '{\"Version\": 1, \"AccessKeyId\": \"leak-SeCrEt-proc1' | is not the JSON object",
        "echo '{\"Version\": 2, \"AccessKeyId\": \"AKID\", \"SecretAccessKey\": \"leak-SeCrEt-proc2\"}' | Version",
        "echo '{\"Version\": 1, \"AccessKeyId\": \"AKID\", \"SecretAccessKey\": \"leak-SeCrEt-proc3\", \"Expiration\": \"tomorrow\"}' | Expiration",
        "echo 'token leak-SeCrEt-proc4 expired' >&2; exit 3 | exited with status 3",
    })
    void failingCredentialProcessIsMisconfiguredNamingTheProfileWithoutItsOutput(String body, String what)
            throws Exception {
        Path script = dir.resolve("creds.sh");
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        Files.writeString(configFile, "[profile bad]\ncredential_process = " + script + "\n");
        env.put("KACHE_S3_PROFILE", "bad");

        StoreMisconfiguredException e = assertThrows(StoreMisconfiguredException.class,
                () -> new AwsS3StoreProvider().open(resolved(Kind.PROFILE_CREDENTIAL_PROCESS)).close());
        assertTrue(e.getMessage().contains("profile 'bad'") && e.getMessage().contains(what), e.getMessage());
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains("leak-SeCrEt"), t.toString());
        }
    }

    /**
     * A credential_process that never finishes (a prompt nobody answers): the remote's opening fails
     * typed after six request timeouts instead of hanging, and the process and what it started are
     * stopped.
     */
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aCredentialProcessThatNeverFinishesIsStoppedAndTheOpeningFailsTyped() throws Exception {
        Path script = dir.resolve("hangs.sh");
        Path started = dir.resolve("started");
        Files.writeString(script, "#!/bin/sh\necho $$ > " + started + ".tmp && mv " + started + ".tmp " + started
                + "\necho 'leak-SeCrEt-proc6' >&2\nsleep 600\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        Files.writeString(configFile, "[profile stuck]\ncredential_process = " + script + "\n");
        env.put("KACHE_S3_PROFILE", "stuck");
        RemoteSettings r = resolved(Kind.PROFILE_CREDENTIAL_PROCESS);
        RemoteSettings oneSecond = new RemoteSettings(r.type(), r.client(), r.bucket(), r.region(), r.endpoint(),
                r.layout(), r.profile(), r.path(), r.readOnly(), Duration.ofSeconds(1), r.credentials(), r.options(),
                r.credentialSource());

        long begun = System.nanoTime();
        StoreMisconfiguredException e = assertThrows(StoreMisconfiguredException.class,
                () -> new AwsS3StoreProvider().open(oneSecond).close());
        Duration took = Duration.ofNanos(System.nanoTime() - begun);

        assertTrue(e.getMessage().contains("profile 'stuck'") && e.getMessage().contains("did not finish within 6 s"),
                e.getMessage());
        assertFalse(e.toString().contains("leak-SeCrEt"), e.toString());
        assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "took " + took);
        long shell = Long.parseLong(Files.readString(started).trim());
        Deadline.in(Duration.ofSeconds(10)).await("the credential process to be stopped",
                () -> ProcessHandle.of(shell).map(p -> !p.isAlive()).orElse(true)
                        && ProcessHandle.current().descendants().noneMatch(p -> p.info().commandLine()
                                .map(c -> c.contains("sleep 600") || c.contains(script.toString())).orElse(false)));
    }

    /** Credentials that fail later, at a refresh: each request fails typed, not with the SDK's exception. */
    @Test
    void credentialProcessFailingAtARefreshFailsTheRequestTyped() throws Exception {
        Path script = dir.resolve("creds.sh");
        Path calls = dir.resolve("calls");
        // Good keys that expire in two seconds, then an error.
        Files.writeString(script, "#!/bin/sh\nif [ -e " + calls + " ]; then echo 'leak-SeCrEt-proc5' >&2; exit 4; fi\n"
                + "touch " + calls + "\nprintf '{\"Version\": 1, \"AccessKeyId\": \"%s\", \"SecretAccessKey\": \"%s\", "
                + "\"Expiration\": \"%s\"}\\n' " + ACCESS + " " + SECRET + " $(date -u -d '+2 seconds' +%Y-%m-%dT%H:%M:%SZ)\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        Files.writeString(configFile, "[profile later]\ncredential_process = " + script + "\n");
        env.put("KACHE_S3_PROFILE", "later");

        try (ArtifactStore store = new AwsS3StoreProvider().open(resolved(Kind.PROFILE_CREDENTIAL_PROCESS))) {
            StoreException[] failed = new StoreException[1];
            Deadline.in(Duration.ofSeconds(20)).await("the credentials to expire and their refresh to fail", () -> {
                try (var keys = store.list("serde")) {
                    return false;
                } catch (StoreException e) {
                    failed[0] = e;
                    return true;
                }
            });
            assertInstanceOf(StoreMisconfiguredException.class, failed[0]);
            assertTrue(failed[0].getMessage().contains("profile 'later'")
                    && failed[0].getMessage().contains("exited with status 4"), failed[0].getMessage());
            StoreMisconfiguredException load = assertThrows(StoreMisconfiguredException.class,
                    () -> store.load(TestKeys.key("serde", 1), (in, size) -> { }));
            assertFalse(load.toString().contains("leak-SeCrEt"), load.toString());
        }
    }

    @Test
    void webIdentityFromTheEnvironmentAssumesTheRoleAtTheStsOfTheCallsEnvironment() throws Exception {
        try (StsTestServer sts = StsTestServer.start(ACCESS, SECRET, SESSION_TOKEN)) {
            Path token = dir.resolve("token");
            Files.writeString(token, "eyJ.web-identity-token.sig\n");
            env.put("AWS_WEB_IDENTITY_TOKEN_FILE", token.toString());
            env.put("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/ci-cache");
            env.put("AWS_ROLE_SESSION_NAME", "runner-7");
            env.put("AWS_ENDPOINT_URL_STS", sts.endpoint().toString());

            assertRoundTrip(resolved(Kind.WEB_IDENTITY));

            StsTestServer.Request assumed = sts.requests().get(0);
            assertEquals("AssumeRoleWithWebIdentity", assumed.action());
            assertEquals("arn:aws:iam::123456789012:role/ci-cache", assumed.parameters().get("RoleArn"));
            assertEquals("runner-7", assumed.parameters().get("RoleSessionName"));
            assertEquals("eyJ.web-identity-token.sig", assumed.parameters().get("WebIdentityToken"));
        }
    }

    @Test
    void webIdentityProfileAssumesTheRoleNamedInTheProfile() throws Exception {
        try (StsTestServer sts = StsTestServer.start(ACCESS, SECRET, SESSION_TOKEN)) {
            Path token = dir.resolve("token");
            Files.writeString(token, "eyJ.profile-token.sig");
            Files.writeString(configFile, "[profile fed]\nrole_arn = arn:aws:iam::123456789012:role/fed\n"
                    + "web_identity_token_file = " + token + "\n");
            env.put("KACHE_S3_PROFILE", "fed");
            env.put("AWS_ENDPOINT_URL_STS", sts.endpoint().toString());

            assertRoundTrip(resolved(Kind.PROFILE_WEB_IDENTITY));

            StsTestServer.Request assumed = sts.requests().get(0);
            assertEquals("arn:aws:iam::123456789012:role/fed", assumed.parameters().get("RoleArn"));
            assertEquals("eyJ.profile-token.sig", assumed.parameters().get("WebIdentityToken"));
            assertEquals(AwsCredentialProviders.DEFAULT_SESSION_NAME, assumed.parameters().get("RoleSessionName"));
        }
    }

    /**
     * The SDK's own profile provider runs AssumeRole with the source profile's keys. Its STS client
     * takes the endpoint from the process (system property {@code aws.endpointUrlSts}, or
     * {@code AWS_ENDPOINT_URL_STS} of the process), not from kache's call, so this test sets the
     * property for its duration.
     */
    @Test
    void roleArnWithSourceProfileAssumesTheRoleSignedByTheSourceProfile() throws Exception {
        try (StsTestServer sts = StsTestServer.start(ACCESS, SECRET, SESSION_TOKEN)) {
            Files.writeString(configFile, """
                    [profile base]
                    aws_access_key_id = AKIDBASE
                    aws_secret_access_key = base-secret-4321

                    [profile cache]
                    role_arn = arn:aws:iam::123456789012:role/cache-writer
                    source_profile = base
                    role_session_name = laptop
                    region = us-east-1
                    """);
            env.put("KACHE_S3_PROFILE", "cache");
            String before = System.getProperty("aws.endpointUrlSts");
            System.setProperty("aws.endpointUrlSts", sts.endpoint().toString());
            try {
                assertRoundTrip(resolved(Kind.PROFILE_ASSUME_ROLE));
            } finally {
                if (before == null) {
                    System.clearProperty("aws.endpointUrlSts");
                } else {
                    System.setProperty("aws.endpointUrlSts", before);
                }
            }
            StsTestServer.Request assumed = sts.requests().get(0);
            assertEquals("AssumeRole", assumed.action());
            assertEquals("arn:aws:iam::123456789012:role/cache-writer", assumed.parameters().get("RoleArn"));
            assertEquals("laptop", assumed.parameters().get("RoleSessionName"));
            assertTrue(assumed.authorization().contains("Credential=AKIDBASE/"), assumed.authorization());
        }
    }

    /**
     * SSO needs a token cached by {@code aws sso login} under the JVM's {@code user.home} and the
     * SSO portal; neither is reachable here without changing the JVM's home. What kache decides is
     * tested: the SDK's profile provider, with the SSO modules on the class path.
     */
    @Test
    void ssoProfileIsHandedToTheSdksProfileProviderWithTheSsoModulesPresent() throws Exception {
        Files.writeString(configFile, """
                [profile sso]
                sso_session = corp
                sso_account_id = 123456789012
                sso_role_name = CacheWriter

                [sso-session corp]
                sso_start_url = https://corp.awsapps.com/start
                sso_region = eu-west-1
                """);
        env.put("KACHE_S3_PROFILE", "sso");
        RemoteSettings settings = resolved(Kind.PROFILE_SSO);
        AwsCredentialProviders.Reported reported = assertInstanceOf(AwsCredentialProviders.Reported.class,
                AwsCredentialProviders.forSettings(settings));
        assertInstanceOf(ProfileCredentialsProvider.class, reported.delegate());
        for (String factory : List.of("software.amazon.awssdk.services.sso.auth.SsoProfileCredentialsProviderFactory",
                "software.amazon.awssdk.services.ssooidc.SsoOidcProfileTokenProviderFactory",
                "software.amazon.awssdk.services.sts.internal.StsProfileCredentialsProviderFactory")) {
            Class.forName(factory);
        }
    }

    private RemoteSettings resolved(Kind expected) {
        CredentialResolution r = S3CredentialChain.resolve(env, Optional.empty());
        assertEquals(expected, r.kind(), r.credentialSource().summary() + " " + r.warnings());
        assertEquals(List.of(), r.warnings());
        return s3.remoteSettings(BUCKET, "p").withCredentials(r.credentials(), r.credentialSource());
    }

    private void assertRoundTrip(RemoteSettings settings) throws Exception {
        ArtifactKey key = TestKeys.key("serde", 1);
        GeneratedSource source = new GeneratedSource(4096, 7);
        try (ArtifactStore store = new AwsS3StoreProvider().open(settings)) {
            store.store(key, source);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertTrue(store.load(key, (in, size) -> in.transferTo(out)));
            assertEquals(source.sha256(), TestKeys.sha256Hex(out.toByteArray()));
        }
    }
}
