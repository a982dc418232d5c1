package io.kache.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The records whose equals and hashCode are written by hand (a record's own cost a fresh JVM an
 * invokedynamic bootstrap on the hit path or on the way to the remote) compare every component:
 * a copy is equal with the same hash code, and a copy with any one component changed is not. Each
 * check names another value for every component, so a component added to a record without its
 * equals fails here.
 */
class HandWrittenEqualityTest {

    private static final S3Credentials KEYS = new S3Credentials("AKID", "secret", Optional.empty(), "env");
    private static final S3CredentialSource FROM_ENV = S3CredentialSource.staticKeys("env");

    @Test
    void remoteSettings() throws Exception {
        RemoteSettings s = new RemoteSettings("s3", Optional.of("s3-aws"), Optional.of("bucket"), "eu-west-1",
                Optional.of(URI.create("http://127.0.0.1:9000")), ArtifactLayout.withDefaultPrefix(), Optional.of("ci"),
                Optional.empty(), false, Duration.ofSeconds(10), Optional.of(KEYS), Map.of("k", "v"), FROM_ENV);
        assertComponentwise(s, Map.ofEntries(
                Map.entry("type", "filesystem"),
                Map.entry("client", Optional.of("s3-minio")),
                Map.entry("bucket", Optional.of("other")),
                Map.entry("region", "us-east-1"),
                Map.entry("endpoint", Optional.of(URI.create("http://127.0.0.1:9001"))),
                Map.entry("layout", ArtifactLayout.withPrefix("elsewhere")),
                Map.entry("profile", Optional.empty()),
                Map.entry("path", Optional.of(Path.of("/shared"))),
                Map.entry("readOnly", true),
                Map.entry("timeout", Duration.ofSeconds(11)),
                Map.entry("credentials", Optional.of(new S3Credentials("AKID", "other", Optional.empty(), "env"))),
                Map.entry("options", Map.of("k", "w")),
                Map.entry("credentialSource", S3CredentialSource.staticKeys("profile ci"))));
    }

    @Test
    void s3Credentials() throws Exception {
        assertComponentwise(new S3Credentials("AKID", "secret", Optional.of("token"), "env"), Map.of(
                "accessKeyId", "AKID2", "secretAccessKey", "secret2", "sessionToken", Optional.empty(),
                "source", "profile"));
    }

    @Test
    void s3CredentialSource() throws Exception {
        S3CredentialSource source = new S3CredentialSource(S3CredentialSource.Kind.PROFILE_SSO, "profile ci",
                Optional.of("ci"), Map.of(S3CredentialSource.CONFIG_FILE, "/home/ci/.aws/config"));
        assertComponentwise(source, Map.of(
                "kind", S3CredentialSource.Kind.PROFILE_CREDENTIAL_PROCESS,
                "description", "profile ci2",
                "profile", Optional.of("ci2"),
                "parameters", Map.of(S3CredentialSource.CONFIG_FILE, "/elsewhere")));
    }

    @Test
    void artifactKey() throws Exception {
        assertComponentwise(new ArtifactKey("serde", "a".repeat(64)), Map.of(
                "crateName", "syn", "cacheKey", "b".repeat(64)));
    }

    private static <R extends Record> void assertComponentwise(R sample, Map<String, Object> otherValues)
            throws Exception {
        RecordComponent[] components = sample.getClass().getRecordComponents();
        Set<String> names = Arrays.stream(components).map(RecordComponent::getName).collect(Collectors.toSet());
        assertEquals(names, otherValues.keySet(), "another value for every component of " + sample.getClass());
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            values[i] = components[i].getAccessor().invoke(sample);
            types[i] = components[i].getType();
        }
        @SuppressWarnings("unchecked")
        Constructor<R> canonical = (Constructor<R>) sample.getClass().getDeclaredConstructor(types);
        R copy = canonical.newInstance(values);
        assertEquals(sample, copy);
        assertEquals(sample.hashCode(), copy.hashCode());
        assertNotEquals(sample, null);
        assertNotEquals(sample, new Object());
        for (int i = 0; i < components.length; i++) {
            Object[] changed = values.clone();
            changed[i] = otherValues.get(components[i].getName());
            assertNotEquals(values[i], changed[i], "the other value of " + components[i].getName() + " differs");
            R other = canonical.newInstance(changed);
            assertNotEquals(sample, other, components[i].getName() + " is compared");
            assertNotEquals(other, sample, components[i].getName() + " is compared");
        }
    }
}
