package io.kache.core.remote.s3;

import io.kache.api.S3CredentialSource;
import io.kache.api.S3CredentialSource.Kind;
import io.kache.api.S3Credentials;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The two AWS files, found the way the AWS CLI finds them: {@code AWS_SHARED_CREDENTIALS_FILE}
 * else {@code ~/.aws/credentials}, {@code AWS_CONFIG_FILE} else {@code ~/.aws/config}, with the
 * home directory taken from the call's environment.
 */
final class AwsProfileFiles {

    private final Optional<Path> credentialsFile;
    private final Optional<Path> configFile;
    private final IniFile credentials;
    private final IniFile config;

    private AwsProfileFiles(Optional<Path> credentialsFile, Optional<Path> configFile, IniFile credentials,
            IniFile config) {
        this.credentialsFile = credentialsFile;
        this.configFile = configFile;
        this.credentials = credentials;
        this.config = config;
    }

    /**
     * Locates and reads both files. A file that is missing is empty; one that cannot be read adds a
     * warning and counts as empty, so a broken file never stops a build.
     */
    static AwsProfileFiles locate(Map<String, String> env, List<String> warnings) {
        Optional<Path> home = firstSet(env, "HOME", "USERPROFILE").map(Path::of);
        Optional<Path> credentialsFile = firstSet(env, "AWS_SHARED_CREDENTIALS_FILE").map(Path::of)
                .or(() -> home.map(h -> h.resolve(".aws").resolve("credentials")));
        Optional<Path> configFile = firstSet(env, "AWS_CONFIG_FILE").map(Path::of)
                .or(() -> home.map(h -> h.resolve(".aws").resolve("config")));
        return new AwsProfileFiles(credentialsFile, configFile, read(credentialsFile, warnings),
                read(configFile, warnings));
    }

    private static IniFile read(Optional<Path> file, List<String> warnings) {
        if (file.isEmpty()) {
            return IniFile.empty();
        }
        try {
            return IniFile.read(file.get());
        } catch (IOException e) {
            warnings.add("cannot read " + file.get() + " (" + e.getClass().getSimpleName() + "); ignoring it");
            return IniFile.empty();
        }
    }

    /**
     * A profile whose credential the client must resolve itself, classified the way the AWS SDK
     * does: {@code role_arn} (with {@code web_identity_token_file}: web identity; else an assumed
     * role), then {@code sso_*}, then {@code credential_process}. Static keys are {@link #find}'s.
     *
     * @param sts the STS region and endpoint taken from the call's environment, for web identity
     * @return empty if the profile has none of these (or does not exist)
     */
    Optional<S3CredentialSource> delegated(String profile, Map<String, String> sts) {
        Map<String, String> props = merged(profile);
        Kind kind;
        if (props.containsKey("role_arn")) {
            kind = props.containsKey("web_identity_token_file") ? Kind.PROFILE_WEB_IDENTITY : Kind.PROFILE_ASSUME_ROLE;
        } else if (props.keySet().stream().anyMatch(k -> k.startsWith("sso_"))) {
            kind = Kind.PROFILE_SSO;
        } else if (props.containsKey("credential_process")) {
            kind = Kind.PROFILE_CREDENTIAL_PROCESS;
        } else {
            return Optional.empty();
        }
        Map<String, String> parameters = new HashMap<>();
        credentialsFile.ifPresent(f -> parameters.put(S3CredentialSource.CREDENTIALS_FILE, f.toString()));
        configFile.ifPresent(f -> parameters.put(S3CredentialSource.CONFIG_FILE, f.toString()));
        if (kind == Kind.PROFILE_WEB_IDENTITY) {
            parameters.putAll(sts);
            parameters.put(S3CredentialSource.ROLE_ARN, props.get("role_arn"));
            parameters.put(S3CredentialSource.WEB_IDENTITY_TOKEN_FILE, props.get("web_identity_token_file"));
            Optional.ofNullable(props.get("role_session_name"))
                    .ifPresent(n -> parameters.put(S3CredentialSource.ROLE_SESSION_NAME, n));
            Optional.ofNullable(props.get("region")).ifPresent(r -> parameters.put(S3CredentialSource.STS_REGION, r));
        }
        return Optional.of(new S3CredentialSource(kind, "profile '" + profile + "' in " + where(profile),
                Optional.of(profile), parameters));
    }

    /** The profile's properties as the SDK sees them: the config file's, overridden by the credentials file's. */
    private Map<String, String> merged(String profile) {
        Map<String, String> props = new LinkedHashMap<>(config.section(configSection(profile)).orElse(Map.of()));
        props.putAll(credentials.section(profile).orElse(Map.of()));
        return props;
    }

    private String where(String profile) {
        if (credentials.section(profile).isPresent() && config.section(configSection(profile)).isPresent()) {
            return describe();
        }
        return (credentials.section(profile).isPresent() ? credentialsFile : configFile)
                .map(Path::toString).orElse("?");
    }

    private static String configSection(String profile) {
        return profile.equals("default") ? "default" : "profile " + profile;
    }

    /**
     * The static keys of {@code profile}: {@code [profile]} in the credentials file, else
     * {@code [profile name]} (or {@code [default]}) in the config file.
     *
     * @param named whether the user named this profile; only then is a profile without keys worth
     *     a warning ({@code [default]} in the config file often holds just a region)
     * @return empty if neither file has the profile with both keys
     */
    Optional<S3Credentials> find(String profile, boolean named, List<String> warnings) {
        Optional<S3Credentials> fromCredentials = credentials.section(profile)
                .flatMap(props -> keys(props, "profile '" + profile + "' in " + credentialsFile.orElseThrow()));
        if (fromCredentials.isPresent()) {
            return fromCredentials;
        }
        Optional<Map<String, String>> inConfig = config.section(configSection(profile));
        Optional<S3Credentials> fromConfig = inConfig
                .flatMap(props -> keys(props, "profile '" + profile + "' in " + configFile.orElseThrow()));
        if (named && fromConfig.isEmpty() && (credentials.section(profile).isPresent() || inConfig.isPresent())) {
            warnings.add("profile '" + profile + "' has no credentials (no aws_access_key_id/aws_secret_access_key,"
                    + " role_arn, sso_* or credential_process); continuing with the default chain");
        }
        return fromConfig;
    }

    /** Whether either file has a section for {@code profile}. */
    boolean has(String profile) {
        return credentials.section(profile).isPresent()
                || config.section(configSection(profile)).isPresent();
    }

    /** The paths looked at, for messages. */
    String describe() {
        return credentialsFile.map(Path::toString).orElse("(no credentials file: HOME unset)") + " and "
                + configFile.map(Path::toString).orElse("(no config file: HOME unset)");
    }

    private static Optional<S3Credentials> keys(Map<String, String> props, String source) {
        String access = props.get("aws_access_key_id");
        String secret = props.get("aws_secret_access_key");
        if (access == null || access.isEmpty() || secret == null || secret.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> token = Optional.ofNullable(props.get("aws_session_token")).filter(t -> !t.isEmpty());
        return Optional.of(new S3Credentials(access, secret, token, source));
    }

    private static Optional<String> firstSet(Map<String, String> env, String... names) {
        for (String name : names) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
