package io.kache.core.remote.s3;

import io.kache.api.S3Credentials;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link S3CredentialChain} found: a key pair, or none (the client then uses its container or
 * instance role provider), where it came from, and what looked wrong on the way. Holds no secret in
 * {@link #toString()}, {@link #source()} or {@link #warnings()}.
 *
 * @param credentials the pair to sign with; empty means "use the client's instance/container role"
 * @param source a human description of the link that answered, e.g. {@code profile 'ci' in /home/u/.aws/credentials}
 * @param warnings problems seen on the way (a half-set pair, a named profile that was not found);
 *     each names variables, files and profiles, never values
 */
public record CredentialResolution(Optional<S3Credentials> credentials, String source, List<String> warnings) {

    /** The source reported when no link had keys. */
    public static final String INSTANCE_ROLE_SOURCE = "container/instance role (the S3 client's default provider)";

    public CredentialResolution {
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(source, "source");
        warnings = List.copyOf(warnings);
    }

    /** Whether a static key pair was found. */
    public boolean hasStaticKeys() {
        return credentials.isPresent();
    }
}
