package io.kache.api;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The resolved {@code [cache.remote]} settings a provider opens a store from. Built by kache's
 * configuration; a provider reads what concerns it and ignores the rest.
 *
 * @param type the remote type, e.g. {@code s3} or {@code filesystem}
 * @param client an explicit provider id chosen in config ({@code s3-aws}, {@code s3-minio}), if any
 * @param bucket the bucket (s3)
 * @param region the region (s3); {@code auto} is allowed (R2)
 * @param endpoint the endpoint (s3) for anything but AWS itself; {@code http://} is allowed
 * @param layout object naming under the configured prefix
 * @param profile the AWS profile named in config or {@code KACHE_S3_PROFILE}, if any
 * @param path the shared directory ({@code filesystem})
 * @param readOnly whether kache must never write to this remote
 * @param timeout how long one request may take before the remote counts as unavailable
 * @param credentials credentials resolved by kache's chain; empty means "use the client's own
 *     container/instance role provider", the last link of the standard chain
 * @param options further keys of {@code [cache.remote]}, for custom backends
 * @param credentialSource which kind of credential kache's chain found, and what a client needs to
 *     use one that is not a key pair (a profile with a role or a {@code credential_process}, web
 *     identity); agrees with {@code credentials}
 */
public record RemoteSettings(
        String type,
        Optional<String> client,
        Optional<String> bucket,
        String region,
        Optional<URI> endpoint,
        ArtifactLayout layout,
        Optional<String> profile,
        Optional<Path> path,
        boolean readOnly,
        Duration timeout,
        Optional<S3Credentials> credentials,
        Map<String, String> options,
        S3CredentialSource credentialSource) {

    // equals and hashCode by hand, here and in the records it holds: a record's own are bootstrapped
    // through invokedynamic, which cost a fresh kache server 25 ms on the way to opening its remote (the
    // settings key the open remotes). HandWrittenEqualityTest fails if a component is left out.
    @Override
    public boolean equals(Object o) {
        return o instanceof RemoteSettings s && readOnly == s.readOnly && type.equals(s.type) && client.equals(s.client)
                && bucket.equals(s.bucket) && region.equals(s.region) && endpoint.equals(s.endpoint)
                && layout.equals(s.layout) && profile.equals(s.profile) && path.equals(s.path)
                && timeout.equals(s.timeout) && credentials.equals(s.credentials) && options.equals(s.options)
                && credentialSource.equals(s.credentialSource);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, client, bucket, region, endpoint, layout, profile, path, readOnly, timeout,
                credentials, options, credentialSource);
    }

    /** The region used when none is configured. */
    public static final String DEFAULT_REGION = "us-east-1";
    /** The request timeout used when none is configured. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public RemoteSettings {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(credentials, "credentials");
        options = Map.copyOf(options);
        Objects.requireNonNull(credentialSource, "credentialSource");
        if (credentials.isPresent() != (credentialSource.kind() == S3CredentialSource.Kind.STATIC_KEYS)) {
            throw new IllegalArgumentException("credentials and a credential source of kind "
                    + credentialSource.kind() + " disagree");
        }
    }

    /**
     * Settings whose credential source follows from {@code credentials}: the pair's static keys, or
     * the client's container/instance role providers when empty.
     */
    public RemoteSettings(String type, Optional<String> client, Optional<String> bucket, String region,
            Optional<URI> endpoint, ArtifactLayout layout, Optional<String> profile, Optional<Path> path,
            boolean readOnly, Duration timeout, Optional<S3Credentials> credentials, Map<String, String> options) {
        this(type, client, bucket, region, endpoint, layout, profile, path, readOnly, timeout, credentials, options,
                Objects.requireNonNull(credentials, "credentials")
                        .map(c -> S3CredentialSource.staticKeys(c.source()))
                        .orElseGet(S3CredentialSource::containerOrInstance));
    }

    /** Settings for a shared directory, with defaults for everything else. */
    public static RemoteSettings filesystem(Path path) {
        return new RemoteSettings("filesystem", Optional.empty(), Optional.empty(), DEFAULT_REGION,
                Optional.empty(), ArtifactLayout.withDefaultPrefix(), Optional.empty(), Optional.of(path),
                false, DEFAULT_TIMEOUT, Optional.empty(), Map.of());
    }

    /** The bucket, or a {@link StoreMisconfiguredException} naming the missing setting. */
    public String requireBucket() throws StoreMisconfiguredException {
        return bucket.orElseThrow(() -> new StoreMisconfiguredException(
                "remote type '" + type + "' needs a bucket: set [cache.remote] bucket or KACHE_S3_BUCKET"));
    }

    /** The directory, or a {@link StoreMisconfiguredException} naming the missing setting. */
    public Path requirePath() throws StoreMisconfiguredException {
        return path.orElseThrow(() -> new StoreMisconfiguredException(
                "remote type '" + type + "' needs a path: set [cache.remote] path"));
    }

    public RemoteSettings withReadOnly(boolean readOnly) {
        return new RemoteSettings(type, client, bucket, region, endpoint, layout, profile, path, readOnly,
                timeout, credentials, options, credentialSource);
    }

    /** The same settings with requests sent to {@code endpoint}: a proxy in front of the server, say. */
    public RemoteSettings withEndpoint(URI endpoint) {
        return new RemoteSettings(type, client, bucket, region, Optional.of(endpoint), layout, profile, path,
                readOnly, timeout, credentials, options, credentialSource);
    }

    /** The same settings with the credentials kache's chain resolved. */
    public RemoteSettings withCredentials(Optional<S3Credentials> credentials, S3CredentialSource credentialSource) {
        return new RemoteSettings(type, client, bucket, region, endpoint, layout, profile, path, readOnly, timeout,
                credentials, options, credentialSource);
    }
}
