package io.kache.core.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kache.api.ArtifactLayout;
import io.kache.api.RemoteSettings;
import io.kache.api.S3Credentials;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A remote's destination tells places apart, and only places. */
class RemoteDestinationTest {

    private static RemoteSettings s3(String bucket, String prefix, Optional<S3Credentials> credentials, Duration timeout) {
        return new RemoteSettings("s3", Optional.empty(), Optional.of(bucket), "eu-west-1",
                Optional.of(URI.create("https://s3.example.com")), ArtifactLayout.withPrefix(prefix), Optional.empty(),
                Optional.empty(), false, timeout, credentials, Map.of());
    }

    @Test
    void anotherBucketPrefixOrDirectoryIsAnotherDestination() {
        RemoteSettings base = s3("team", "teamA", Optional.empty(), RemoteSettings.DEFAULT_TIMEOUT);
        RemoteDestination d = RemoteDestination.of(base);
        assertNotEquals(d, RemoteDestination.of(s3("other", "teamA", Optional.empty(), RemoteSettings.DEFAULT_TIMEOUT)));
        assertNotEquals(d, RemoteDestination.of(s3("team", "teamB", Optional.empty(), RemoteSettings.DEFAULT_TIMEOUT)));
        assertNotEquals(d, RemoteDestination.of(base.withEndpoint(URI.create("https://s3.other.example"))));
        assertNotEquals(RemoteDestination.of(RemoteSettings.filesystem(Path.of("/a"))),
                RemoteDestination.of(RemoteSettings.filesystem(Path.of("/b"))));
    }

    @Test
    void credentialsTimeoutAndReadOnlyDoNotChangeTheDestination() {
        RemoteSettings base = s3("team", "teamA", Optional.empty(), RemoteSettings.DEFAULT_TIMEOUT);
        RemoteSettings other = s3("team", "teamA", Optional.of(new S3Credentials("AKIAEXAMPLE", "secret",
                Optional.empty(), "test")), Duration.ofSeconds(3)).withReadOnly(true);
        assertEquals(RemoteDestination.of(base), RemoteDestination.of(other));
        assertEquals(16, RemoteDestination.of(base).id().length());
    }

    @Test
    void anIdThatIsNotShortLowercaseHexIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RemoteDestination("../../etc"));
        assertThrows(IllegalArgumentException.class, () -> new RemoteDestination("ABCDEF0123456789"));
    }
}
