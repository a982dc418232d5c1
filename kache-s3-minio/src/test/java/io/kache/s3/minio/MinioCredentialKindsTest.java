package io.kache.s3.minio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactStore;
import io.kache.api.RemoteSettings;
import io.kache.api.S3CredentialSource.Kind;
import io.kache.api.StoreMisconfiguredException;
import io.kache.core.remote.s3.CredentialResolution;
import io.kache.core.remote.s3.S3CredentialChain;
import io.kache.testkit.GeneratedSource;
import io.kache.testkit.TestKeys;
import io.kache.testkit.s3.S3TestServer;
import io.kache.testkit.s3.StsTestServer;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the MinIO client can do with the kinds of credential kache's chain finds: web identity
 * through a stand-in STS on loopback, a real round trip; a profile it has no provider for
 * (credential_process, role_arn + source_profile, SSO) refused by name instead of the instance role.
 */
class MinioCredentialKindsTest {

    private static final String BUCKET = "creds";

    @TempDir
    Path dir;

    private S3TestServer s3;
    private final Map<String, String> env = new HashMap<>();
    private Path configFile;

    @BeforeEach
    void start() throws Exception {
        s3 = S3TestServer.start(dir.resolve("s3"), "AKIDMINIO", "minio-secret-1234");
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
    void webIdentityFromTheEnvironmentAssumesTheRoleAtTheStsOfTheCallsEnvironment() throws Exception {
        try (StsTestServer sts = StsTestServer.start("AKIDMINIO", "minio-secret-1234", "minio-session-token")) {
            Path token = dir.resolve("token");
            Files.writeString(token, "eyJ.minio-token.sig\n");
            env.put("AWS_WEB_IDENTITY_TOKEN_FILE", token.toString());
            env.put("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/ci-cache");
            env.put("AWS_ENDPOINT_URL_STS", sts.endpoint().toString());

            ArtifactKey key = TestKeys.key("serde", 3);
            GeneratedSource source = new GeneratedSource(2048, 3);
            try (ArtifactStore store = new MinioS3StoreProvider().open(resolved(Kind.WEB_IDENTITY))) {
                store.store(key, source);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                assertTrue(store.load(key, (in, size) -> in.transferTo(out)));
                assertEquals(source.sha256(), TestKeys.sha256Hex(out.toByteArray()));
            }
            StsTestServer.Request assumed = sts.requests().get(0);
            assertEquals("AssumeRoleWithWebIdentity", assumed.action());
            assertEquals("arn:aws:iam::123456789012:role/ci-cache", assumed.parameters().get("RoleArn"));
            assertEquals("eyJ.minio-token.sig", assumed.parameters().get("WebIdentityToken"));
        }
    }

    @Test
    void profilesWithoutAMinioProviderAreRefusedByKindNotSentToTheInstanceRole() throws Exception {
        Files.writeString(configFile, """
                [profile proc]
                credential_process = /opt/bin/creds

                [profile role]
                role_arn = arn:aws:iam::123456789012:role/cache
                source_profile = proc

                [profile sso]
                sso_start_url = https://corp.awsapps.com/start
                sso_region = eu-west-1
                sso_account_id = 123456789012
                sso_role_name = Cache
                """);
        for (Map.Entry<String, Kind> profile : Map.of("proc", Kind.PROFILE_CREDENTIAL_PROCESS,
                "role", Kind.PROFILE_ASSUME_ROLE, "sso", Kind.PROFILE_SSO).entrySet()) {
            env.put("KACHE_S3_PROFILE", profile.getKey());
            StoreMisconfiguredException e = assertThrows(StoreMisconfiguredException.class,
                    () -> new MinioS3StoreProvider().open(resolved(profile.getValue())));
            assertTrue(e.getMessage().contains("the s3-minio client cannot use " + profile.getValue().label()),
                    e.getMessage());
            assertTrue(e.getMessage().contains("client = \"s3-aws\""), e.getMessage());
        }
        assertEquals(0, s3.requests().size());
    }

    private RemoteSettings resolved(Kind expected) {
        CredentialResolution r = S3CredentialChain.resolve(env, Optional.empty());
        assertEquals(expected, r.kind(), r.credentialSource().summary() + " " + r.warnings());
        return s3.remoteSettings(BUCKET, "p").withCredentials(r.credentials(), r.credentialSource());
    }
}
