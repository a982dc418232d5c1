package io.kache.core.remote.s3;

import io.kache.api.S3CredentialSource;
import io.kache.api.S3Credentials;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link S3CredentialChain} found: a key pair, or the kind of credential the client must
 * resolve itself (a profile with a role, SSO or a {@code credential_process}; web identity; the
 * container or instance role), where it came from, and what looked wrong on the way. Holds no
 * secret in {@link #toString()}, {@link #source()} or {@link #warnings()}.
 *
 * @param credentials the pair to sign with, when the kind is static keys
 * @param credentialSource the kind found and what a client needs to use it
 * @param warnings problems seen on the way (a half-set pair, a named profile that was not found);
 *     each names variables, files and profiles, never values
 */
public record CredentialResolution(Optional<S3Credentials> credentials, S3CredentialSource credentialSource,
        List<String> warnings) {

    /** The source reported when no link had anything. */
    public static final String INSTANCE_ROLE_SOURCE = S3CredentialSource.containerOrInstance().description();

    public CredentialResolution {
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(credentialSource, "credentialSource");
        warnings = List.copyOf(warnings);
    }

    /** Where the credential was found, e.g. {@code profile 'ci' in /home/u/.aws/credentials}. */
    public String source() {
        return credentialSource.description();
    }

    /** The kind of credential found. */
    public S3CredentialSource.Kind kind() {
        return credentialSource.kind();
    }

    /** Whether a static key pair was found. */
    public boolean hasStaticKeys() {
        return credentials.isPresent();
    }
}
