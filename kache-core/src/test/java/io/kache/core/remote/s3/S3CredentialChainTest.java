package io.kache.core.remote.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.S3CredentialSource;
import io.kache.api.S3CredentialSource.Kind;
import io.kache.api.S3Credentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The credential order, proven with temporary AWS files and explicit environments. */
class S3CredentialChainTest {

    @TempDir
    Path home;

    private Path credentialsFile;
    private Path configFile;
    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void files() throws IOException {
        credentialsFile = home.resolve("creds.ini");
        configFile = home.resolve("config.ini");
        Files.writeString(credentialsFile, """
                [default]
                aws_access_key_id = AKIDDEFAULT
                aws_secret_access_key = secret-default

                [ci]
                aws_access_key_id = AKIDCI
                aws_secret_access_key = secret-ci
                aws_session_token = token-ci
                """);
        Files.writeString(configFile, """
                [default]
                region = eu-west-1

                [profile from_config]
                aws_access_key_id = AKIDCONFIG
                aws_secret_access_key = secret-config

                [profile assumed]
                role_arn = arn:aws:iam::123456789012:role/cache
                source_profile = default

                [profile process]
                credential_process = /opt/bin/creds --json

                [profile sso]
                sso_session = corp
                sso_account_id = 123456789012
                sso_role_name = Cache

                [profile federated]
                role_arn = arn:aws:iam::123456789012:role/ci
                web_identity_token_file = /var/run/token
                region = eu-central-1

                [profile empty]
                region = eu-west-1
                """);
        env.put("HOME", home.toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", credentialsFile.toString());
        env.put("AWS_CONFIG_FILE", configFile.toString());
    }

    private CredentialResolution resolve(Optional<String> configProfile) {
        CredentialResolution r = S3CredentialChain.resolve(env, configProfile);
        assertNoSecretShown(r);
        return r;
    }

    private static void assertNoSecretShown(CredentialResolution r) {
        String shown = r.toString() + r.source() + String.join("\n", r.warnings());
        for (String secret : List.of("secret-", "token-ci", "kache-secret", "aws-env-secret", "aws-env-token")) {
            assertFalse(shown.contains(secret), "a secret is shown: " + shown);
        }
    }

    private static String accessKey(CredentialResolution r) {
        return r.credentials().map(S3Credentials::accessKeyId).orElse("<none>");
    }

    @Test
    void kachePairBeatsEverything() {
        env.put("KACHE_S3_ACCESS_KEY", "AKIDKACHE");
        env.put("KACHE_S3_SECRET_KEY", "kache-secret");
        env.put("KACHE_S3_PROFILE", "ci");
        env.put("AWS_ACCESS_KEY_ID", "AKIDAWSENV");
        env.put("AWS_SECRET_ACCESS_KEY", "aws-env-secret");
        CredentialResolution r = resolve(Optional.of("from_config"));
        assertEquals("AKIDKACHE", accessKey(r));
        assertEquals("kache-secret", r.credentials().orElseThrow().secretAccessKey());
        assertEquals("env KACHE_S3_ACCESS_KEY/KACHE_S3_SECRET_KEY", r.source());
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void envProfileBeatsConfigProfileAndTheDefaultChain() {
        env.put("KACHE_S3_PROFILE", "ci");
        env.put("AWS_ACCESS_KEY_ID", "AKIDAWSENV");
        env.put("AWS_SECRET_ACCESS_KEY", "aws-env-secret");
        CredentialResolution r = resolve(Optional.of("from_config"));
        assertEquals("AKIDCI", accessKey(r));
        assertEquals(Optional.of("token-ci"), r.credentials().orElseThrow().sessionToken());
        assertEquals("profile 'ci' in " + credentialsFile, r.source());
    }

    @Test
    void configProfileIsReadFromTheConfigFileWithItsProfilePrefix() {
        env.put("AWS_ACCESS_KEY_ID", "AKIDAWSENV");
        env.put("AWS_SECRET_ACCESS_KEY", "aws-env-secret");
        CredentialResolution r = resolve(Optional.of("from_config"));
        assertEquals("AKIDCONFIG", accessKey(r));
        assertEquals("profile 'from_config' in " + configFile, r.source());
    }

    @Test
    void halfKachePairFallsThroughWithAWarningNamingTheMissingVariable() {
        env.put("KACHE_S3_SECRET_KEY", "kache-secret");
        CredentialResolution r = resolve(Optional.of("ci"));
        assertEquals("AKIDCI", accessKey(r));
        assertEquals(1, r.warnings().size(), r.warnings().toString());
        assertTrue(r.warnings().get(0).contains("KACHE_S3_ACCESS_KEY is not"), r.warnings().get(0));
    }

    @Test
    void awsEnvironmentPairComesBeforeTheDefaultProfile() {
        env.put("AWS_ACCESS_KEY_ID", "AKIDAWSENV");
        env.put("AWS_SECRET_ACCESS_KEY", "aws-env-secret");
        env.put("AWS_SESSION_TOKEN", "aws-env-token");
        CredentialResolution r = resolve(Optional.empty());
        assertEquals("AKIDAWSENV", accessKey(r));
        assertEquals(Optional.of("aws-env-token"), r.credentials().orElseThrow().sessionToken());
        assertEquals("env AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY", r.source());
    }

    @Test
    void defaultProfileOfTheCredentialsFileIsTheLastStaticLink() {
        CredentialResolution r = resolve(Optional.empty());
        assertEquals("AKIDDEFAULT", accessKey(r));
        assertEquals("profile 'default' in " + credentialsFile, r.source());
        assertEquals(List.of(), r.warnings(), "a region-only [default] in config is normal");
    }

    @Test
    void awsProfileVariableChoosesTheDefaultChainsProfile() {
        env.put("AWS_PROFILE", "ci");
        assertEquals("AKIDCI", accessKey(resolve(Optional.empty())));
    }

    @Test
    void homeIsUsedWhenTheFileVariablesAreUnset() throws IOException {
        env.remove("AWS_SHARED_CREDENTIALS_FILE");
        env.remove("AWS_CONFIG_FILE");
        Files.createDirectories(home.resolve(".aws"));
        Files.copy(credentialsFile, home.resolve(".aws/credentials"));
        CredentialResolution r = resolve(Optional.of("ci"));
        assertEquals("AKIDCI", accessKey(r));
        assertEquals("profile 'ci' in " + home.resolve(".aws/credentials"), r.source());
    }

    @Test
    void nothingFoundMeansTheClientsInstanceRoleProvider() throws IOException {
        Files.delete(credentialsFile);
        CredentialResolution r = resolve(Optional.empty());
        assertFalse(r.hasStaticKeys());
        assertEquals(CredentialResolution.INSTANCE_ROLE_SOURCE, r.source());
    }

    @Test
    void unknownNamedProfileWarnsAndFallsThrough() {
        CredentialResolution r = resolve(Optional.of("nope"));
        assertEquals("AKIDDEFAULT", accessKey(r));
        assertTrue(r.warnings().get(0).startsWith("profile 'nope' (from config profile) not found in " + credentialsFile),
                r.warnings().toString());
    }

    @Test
    void namedProfileWithoutAnyCredentialWarnsAndFallsThrough() {
        env.put("KACHE_S3_PROFILE", "empty");
        CredentialResolution r = resolve(Optional.empty());
        assertEquals("AKIDDEFAULT", accessKey(r));
        assertEquals(1, r.warnings().size(), r.warnings().toString());
        assertTrue(r.warnings().get(0).contains("profile 'empty' has no credentials"), r.warnings().get(0));
    }

    @Test
    void namedRoleProfileIsLeftToTheClientInsteadOfFallingThrough() {
        env.put("KACHE_S3_PROFILE", "assumed");
        CredentialResolution r = resolve(Optional.empty());
        assertFalse(r.hasStaticKeys());
        assertEquals(Kind.PROFILE_ASSUME_ROLE, r.kind());
        assertEquals(Optional.of("assumed"), r.credentialSource().profile());
        assertEquals("profile 'assumed' in " + configFile, r.source());
        assertEquals(Optional.of(configFile.toString()), r.credentialSource().parameter(S3CredentialSource.CONFIG_FILE));
        assertEquals(Optional.of(credentialsFile.toString()),
                r.credentialSource().parameter(S3CredentialSource.CREDENTIALS_FILE));
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void processSsoAndWebIdentityProfilesAreClassifiedAsTheSdkDoes() {
        assertEquals(Kind.PROFILE_CREDENTIAL_PROCESS, resolve(Optional.of("process")).kind());
        assertEquals(Kind.PROFILE_SSO, resolve(Optional.of("sso")).kind());
        CredentialResolution federated = resolve(Optional.of("federated"));
        assertEquals(Kind.PROFILE_WEB_IDENTITY, federated.kind());
        S3CredentialSource source = federated.credentialSource();
        assertEquals(Optional.of("arn:aws:iam::123456789012:role/ci"), source.parameter(S3CredentialSource.ROLE_ARN));
        assertEquals(Optional.of("/var/run/token"), source.parameter(S3CredentialSource.WEB_IDENTITY_TOKEN_FILE));
        assertEquals(Optional.of("eu-central-1"), source.parameter(S3CredentialSource.STS_REGION));
    }

    @Test
    void roleArnWinsOverStaticKeysInOneProfileAsInTheSdk() throws IOException {
        Files.writeString(credentialsFile, """
                [both]
                aws_access_key_id = AKIDBOTH
                aws_secret_access_key = secret-both
                role_arn = arn:aws:iam::123456789012:role/cache
                source_profile = base
                """);
        assertEquals(Kind.PROFILE_ASSUME_ROLE, resolve(Optional.of("both")).kind());
    }

    @Test
    void webIdentityFromTheEnvironmentComesAfterTheAwsPairAndBeforeTheDefaultProfile() {
        env.put("AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/secrets/eks/token");
        env.put("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/pod");
        env.put("AWS_ROLE_SESSION_NAME", "pod-1");
        env.put("AWS_REGION", "eu-north-1");
        env.put("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9/");
        CredentialResolution r = resolve(Optional.empty());
        assertEquals(Kind.WEB_IDENTITY, r.kind());
        assertEquals(Map.of(S3CredentialSource.ROLE_ARN, "arn:aws:iam::123456789012:role/pod",
                S3CredentialSource.WEB_IDENTITY_TOKEN_FILE, "/var/run/secrets/eks/token",
                S3CredentialSource.ROLE_SESSION_NAME, "pod-1",
                S3CredentialSource.STS_REGION, "eu-north-1",
                S3CredentialSource.STS_ENDPOINT, "http://127.0.0.1:9/"), r.credentialSource().parameters());
        assertTrue(r.source().contains("AWS_WEB_IDENTITY_TOKEN_FILE"), r.source());

        env.put("AWS_ACCESS_KEY_ID", "AKIDENV");
        env.put("AWS_SECRET_ACCESS_KEY", "aws-env-secret");
        assertEquals("AKIDENV", accessKey(resolve(Optional.empty())));
    }

    @Test
    void halfWebIdentityWarnsAndFallsThrough() {
        env.put("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/pod");
        CredentialResolution r = resolve(Optional.empty());
        assertEquals("AKIDDEFAULT", accessKey(r));
        assertTrue(r.warnings().get(0).contains("AWS_WEB_IDENTITY_TOKEN_FILE is not"), r.warnings().toString());
    }

    @Test
    void halfAwsPairWarnsWithoutShowingTheValue() {
        env.put("AWS_SECRET_ACCESS_KEY", "aws-env-secret");
        CredentialResolution r = resolve(Optional.empty());
        assertEquals("AKIDDEFAULT", accessKey(r));
        assertTrue(r.warnings().get(0).contains("AWS_ACCESS_KEY_ID is not"), r.warnings().toString());
    }
}
