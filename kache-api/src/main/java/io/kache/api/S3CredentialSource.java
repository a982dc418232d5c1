package io.kache.api;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which kind of credential kache's chain found for an S3 remote, and what a client needs to use it
 * when it is not a static key pair. A client signs with {@link RemoteSettings#credentials()} when a
 * pair is present; otherwise it builds the provider this source names. Holds no secret: only
 * profile names, file paths, role ARNs, regions and endpoints.
 *
 * @param kind the kind of credential
 * @param description where it was found, for {@code kache config} and {@code kache doctor}, e.g.
 *     {@code profile 'ci' in /home/u/.aws/config}
 * @param profile the AWS profile the client must read, for the {@code PROFILE_*} kinds
 * @param parameters what the client needs besides the profile, by the names in this class's
 *     constants (files, role, token file path, STS region and endpoint); never a secret
 */
public record S3CredentialSource(Kind kind, String description, Optional<String> profile,
        Map<String, String> parameters) {

    /** The AWS credentials file the profile is read from. */
    public static final String CREDENTIALS_FILE = "credentials_file";
    /** The AWS config file the profile is read from. */
    public static final String CONFIG_FILE = "config_file";
    /** The role to assume with a web identity token. */
    public static final String ROLE_ARN = "role_arn";
    /** The file holding the web identity token (the path, never the token). */
    public static final String WEB_IDENTITY_TOKEN_FILE = "web_identity_token_file";
    /** The session name for an assumed role. */
    public static final String ROLE_SESSION_NAME = "role_session_name";
    /** The region of the STS endpoint ({@code AWS_REGION}, {@code AWS_DEFAULT_REGION}). */
    public static final String STS_REGION = "sts_region";
    /** An STS endpoint other than AWS's ({@code AWS_ENDPOINT_URL_STS}, else {@code AWS_ENDPOINT_URL}). */
    public static final String STS_ENDPOINT = "sts_endpoint";

    /** The kinds of credential kache tells apart; the AWS CLI knows each of them. */
    public enum Kind {
        /** An access key pair (env, or a profile's {@code aws_access_key_id}): in {@link RemoteSettings#credentials()}. */
        STATIC_KEYS("static access keys"),
        /** A profile with {@code role_arn} and {@code source_profile} or {@code credential_source}. */
        PROFILE_ASSUME_ROLE("assumed role (profile role_arn + source_profile/credential_source)"),
        /** A profile with {@code role_arn} and {@code web_identity_token_file}. */
        PROFILE_WEB_IDENTITY("web identity (profile role_arn + web_identity_token_file)"),
        /** A profile with {@code credential_process}. */
        PROFILE_CREDENTIAL_PROCESS("credential_process (profile)"),
        /** A profile with {@code sso_session} or {@code sso_start_url} (IAM Identity Center). */
        PROFILE_SSO("IAM Identity Center / SSO (profile)"),
        /** {@code AWS_WEB_IDENTITY_TOKEN_FILE} + {@code AWS_ROLE_ARN} (EKS pods, many CI runners). */
        WEB_IDENTITY("web identity (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN)"),
        /** Nothing found by kache: the client's container (ECS/EKS) and instance (EC2) role providers. */
        CONTAINER_OR_INSTANCE("container/instance role");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** A short human name, e.g. {@code credential_process (profile)}. */
        public String label() {
            return label;
        }

        /** Whether the client reads the profile {@link S3CredentialSource#profile()} itself. */
        public boolean viaProfile() {
            return name().startsWith("PROFILE_");
        }
    }

    public S3CredentialSource {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(profile, "profile");
        parameters = Map.copyOf(parameters);
        if (kind.viaProfile() && profile.isEmpty()) {
            throw new IllegalArgumentException(kind + " needs a profile");
        }
    }

    // By hand: see RemoteSettings, which holds these.
    @Override
    public boolean equals(Object o) {
        return o instanceof S3CredentialSource c && kind == c.kind && description.equals(c.description)
                && profile.equals(c.profile) && parameters.equals(c.parameters);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, description, profile, parameters);
    }

    /** A static key pair found at {@code description}. */
    public static S3CredentialSource staticKeys(String description) {
        return new S3CredentialSource(Kind.STATIC_KEYS, description, Optional.empty(), Map.of());
    }

    /** Nothing found: the client's container and instance role providers. */
    public static S3CredentialSource containerOrInstance() {
        return new S3CredentialSource(Kind.CONTAINER_OR_INSTANCE,
                "nothing found by kache: the S3 client's container (ECS/EKS), then instance (EC2) role provider", Optional.empty(), Map.of());
    }

    /** A parameter by one of this class's names. */
    public Optional<String> parameter(String name) {
        return Optional.ofNullable(parameters.get(name));
    }

    /** {@code kind: description}, for messages. */
    public String summary() {
        return kind.label() + ": " + description;
    }
}
