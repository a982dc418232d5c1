package io.kache.core.remote.s3;

import io.kache.api.S3Credentials;
import java.io.IOException;
import java.nio.file.Path;
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
        String configSection = profile.equals("default") ? "default" : "profile " + profile;
        Optional<Map<String, String>> inConfig = config.section(configSection);
        Optional<S3Credentials> fromConfig = inConfig
                .flatMap(props -> keys(props, "profile '" + profile + "' in " + configFile.orElseThrow()));
        if (named && fromConfig.isEmpty() && (credentials.section(profile).isPresent() || inConfig.isPresent())) {
            warnings.add("profile '" + profile + "' has no aws_access_key_id/aws_secret_access_key; "
                    + "kache reads static keys only (role_arn, sso and credential_process are not followed)");
        }
        return fromConfig;
    }

    /** Whether either file has a section for {@code profile}. */
    boolean has(String profile) {
        return credentials.section(profile).isPresent()
                || config.section(profile.equals("default") ? "default" : "profile " + profile).isPresent();
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
