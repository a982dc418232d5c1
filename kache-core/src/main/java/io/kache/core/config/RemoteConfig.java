package io.kache.core.config;

import io.kache.api.ArtifactLayout;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The resolved {@code [cache.remote]} table. {@link #toString()} masks the credentials and every
 * option whose name looks like a secret.
 *
 * @param type {@code s3}, {@code filesystem} or a custom provider's type
 * @param client an explicit provider id, e.g. {@code s3-aws}
 * @param bucket the bucket (s3)
 * @param region the region, {@value io.kache.api.RemoteSettings#DEFAULT_REGION} by default
 * @param endpoint an http(s) endpoint for S3-compatible services
 * @param prefix the object prefix, already normalized
 * @param profile an AWS profile name
 * @param path the shared directory (filesystem), absolute
 * @param timeout how long one request may take
 * @param accessKey {@code KACHE_S3_ACCESS_KEY}, if set
 * @param secretKey {@code KACHE_S3_SECRET_KEY}, if set
 * @param options the other keys of {@code [cache.remote]}, sorted by name
 */
public record RemoteConfig(String type, Optional<String> client, Optional<String> bucket, String region,
                           Optional<URI> endpoint, String prefix, Optional<String> profile, Optional<Path> path,
                           Duration timeout, Optional<Secret> accessKey, Optional<Secret> secretKey,
                           Map<String, String> options) {

    public RemoteConfig {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(accessKey, "accessKey");
        Objects.requireNonNull(secretKey, "secretKey");
        if (!ArtifactLayout.normalizePrefix(prefix).equals(prefix)) {
            throw new IllegalArgumentException("prefix is not normalized: '" + prefix + "'");
        }
        if (path.isPresent() && !path.get().isAbsolute()) {
            throw new IllegalArgumentException("path must be absolute: " + path.get());
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        options = Collections.unmodifiableMap(new TreeMap<>(options));
    }

    /** The object naming under {@link #prefix}. */
    public ArtifactLayout layout() {
        return ArtifactLayout.withPrefix(prefix);
    }

    /** The options with secret-looking values replaced by {@value Secret#MASK}, for output. */
    public Map<String, String> maskedOptions() {
        Map<String, String> masked = new TreeMap<>();
        // By name, and any URL's user info whatever the name (proxy = "http://user:password@host").
        options.forEach((k, v) -> masked.put(k, Secret.looksSecret(k) ? Secret.MASK
                : UrlUserInfo.mayCarry(v) ? UrlUserInfo.masked(v) : v));
        return Collections.unmodifiableMap(masked);
    }

    @Override
    public String toString() {
        return "RemoteConfig[type=" + type + ", client=" + client.orElse("-") + ", bucket=" + bucket.orElse("-")
                + ", region=" + region + ", endpoint=" + endpoint.map(URI::toString).orElse("-")
                + ", prefix=" + prefix + ", profile=" + profile.orElse("-")
                + ", path=" + path.map(Path::toString).orElse("-") + ", timeout=" + timeout
                + ", accessKey=" + (accessKey.isPresent() ? Secret.MASK : "-")
                + ", secretKey=" + (secretKey.isPresent() ? Secret.MASK : "-")
                + ", options=" + maskedOptions().entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ", "{", "}"))
                + "]";
    }
}
