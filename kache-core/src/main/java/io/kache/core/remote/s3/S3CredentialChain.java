package io.kache.core.remote.s3;

import io.kache.api.S3CredentialSource;
import io.kache.api.S3CredentialSource.Kind;
import io.kache.api.S3Credentials;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the credentials for an S3 remote, the same way for every S3 client, in this order:
 * <ol>
 *   <li>{@code KACHE_S3_ACCESS_KEY} + {@code KACHE_S3_SECRET_KEY} (only one set: a warning naming the
 *       missing one, then the rest of the chain);</li>
 *   <li>a named profile, {@code KACHE_S3_PROFILE} else the config's {@code profile}, from
 *       {@code ~/.aws/credentials} or {@code ~/.aws/config} ({@code AWS_SHARED_CREDENTIALS_FILE},
 *       {@code AWS_CONFIG_FILE} honoured);</li>
 *   <li>{@code AWS_ACCESS_KEY_ID} + {@code AWS_SECRET_ACCESS_KEY} (+ {@code AWS_SESSION_TOKEN});</li>
 *   <li>{@code AWS_WEB_IDENTITY_TOKEN_FILE} + {@code AWS_ROLE_ARN} (+ {@code AWS_ROLE_SESSION_NAME});</li>
 *   <li>the default profile ({@code AWS_PROFILE}, else {@code [default]}) from the same files;</li>
 *   <li>nothing: the client's container/instance role providers.</li>
 * </ol>
 * A profile is classified as the AWS SDK does: {@code role_arn} (an assumed role, or web identity
 * with {@code web_identity_token_file}), then {@code sso_*}, then {@code credential_process}, then
 * static keys. Only static keys are read here; for the other kinds the result names the profile
 * and files, and the S3 client resolves them with its own providers (the AWS SDK's, which run STS,
 * SSO and the process), or refuses a kind it cannot use.
 * <p>
 * Reads only the given environment map and the files it names. Never fails: unreadable files and
 * half-set pairs become warnings. No secret appears in any message.
 */
public final class S3CredentialChain {

    private static final String KACHE_ACCESS = "KACHE_S3_ACCESS_KEY";
    private static final String KACHE_SECRET = "KACHE_S3_SECRET_KEY";
    private static final String AWS_ACCESS = "AWS_ACCESS_KEY_ID";
    private static final String AWS_SECRET = "AWS_SECRET_ACCESS_KEY";
    private static final String TOKEN_FILE = "AWS_WEB_IDENTITY_TOKEN_FILE";
    private static final String ROLE_ARN = "AWS_ROLE_ARN";

    private S3CredentialChain() {
    }

    /**
     * @param env the call's environment (not {@code System.getenv()} read deep inside)
     * @param configProfile the {@code profile} of {@code [cache.remote]}, if set
     */
    public static CredentialResolution resolve(Map<String, String> env, Optional<String> configProfile) {
        List<String> warnings = new ArrayList<>();
        Optional<S3Credentials> pair = envPair(env, KACHE_ACCESS, KACHE_SECRET, Optional.empty(), warnings);
        if (pair.isPresent()) {
            return found(pair.get(), warnings);
        }
        AwsProfileFiles files = AwsProfileFiles.locate(env, warnings);
        Map<String, String> sts = stsParameters(env);
        Optional<String> named = set(env, "KACHE_S3_PROFILE").or(() -> configProfile.filter(p -> !p.isBlank()));
        if (named.isPresent()) {
            Optional<CredentialResolution> profile = profile(files, named.get(), true, sts, warnings);
            if (profile.isPresent()) {
                return profile.get();
            }
            if (!files.has(named.get())) {
                warnings.add("profile '" + named.get() + "' (from " + (set(env, "KACHE_S3_PROFILE").isPresent()
                        ? "KACHE_S3_PROFILE" : "config profile") + ") not found in " + files.describe()
                        + "; continuing with the default chain");
            }
        }
        pair = envPair(env, AWS_ACCESS, AWS_SECRET, set(env, "AWS_SESSION_TOKEN"), warnings);
        if (pair.isPresent()) {
            return found(pair.get(), warnings);
        }
        Optional<S3CredentialSource> webIdentity = webIdentity(env, sts, warnings);
        if (webIdentity.isPresent()) {
            return new CredentialResolution(Optional.empty(), webIdentity.get(), warnings);
        }
        String defaultProfile = set(env, "AWS_PROFILE").orElse("default");
        return profile(files, defaultProfile, false, sts, warnings)
                .orElseGet(() -> new CredentialResolution(Optional.empty(), S3CredentialSource.containerOrInstance(),
                        warnings));
    }

    private static Optional<CredentialResolution> profile(AwsProfileFiles files, String profile, boolean named,
            Map<String, String> sts, List<String> warnings) {
        Optional<S3CredentialSource> delegated = files.delegated(profile, sts);
        if (delegated.isPresent()) {
            return Optional.of(new CredentialResolution(Optional.empty(), delegated.get(), warnings));
        }
        return files.find(profile, named, warnings).map(c -> found(c, warnings));
    }

    /** {@code AWS_WEB_IDENTITY_TOKEN_FILE} + {@code AWS_ROLE_ARN}, as the SDK's web identity provider reads them. */
    private static Optional<S3CredentialSource> webIdentity(Map<String, String> env, Map<String, String> sts,
            List<String> warnings) {
        Optional<String> tokenFile = set(env, TOKEN_FILE);
        Optional<String> roleArn = set(env, ROLE_ARN);
        if (tokenFile.isEmpty() || roleArn.isEmpty()) {
            if (tokenFile.isPresent() || roleArn.isPresent()) {
                String present = tokenFile.isPresent() ? TOKEN_FILE : ROLE_ARN;
                String missing = tokenFile.isPresent() ? ROLE_ARN : TOKEN_FILE;
                warnings.add(present + " is set but " + missing + " is not; web identity needs both,"
                        + " continuing with the rest of the credential chain");
            }
            return Optional.empty();
        }
        Map<String, String> parameters = new HashMap<>(sts);
        parameters.put(S3CredentialSource.ROLE_ARN, roleArn.get());
        parameters.put(S3CredentialSource.WEB_IDENTITY_TOKEN_FILE, tokenFile.get());
        set(env, "AWS_ROLE_SESSION_NAME").ifPresent(n -> parameters.put(S3CredentialSource.ROLE_SESSION_NAME, n));
        return Optional.of(new S3CredentialSource(Kind.WEB_IDENTITY, "env " + TOKEN_FILE + "/" + ROLE_ARN + " (role "
                + roleArn.get() + ")", Optional.empty(), parameters));
    }

    /** Where STS is, from the call's environment: a region, and an endpoint when it is not AWS's. */
    private static Map<String, String> stsParameters(Map<String, String> env) {
        Map<String, String> sts = new HashMap<>();
        set(env, "AWS_REGION").or(() -> set(env, "AWS_DEFAULT_REGION"))
                .ifPresent(r -> sts.put(S3CredentialSource.STS_REGION, r));
        set(env, "AWS_ENDPOINT_URL_STS").or(() -> set(env, "AWS_ENDPOINT_URL"))
                .ifPresent(e -> sts.put(S3CredentialSource.STS_ENDPOINT, e));
        return sts;
    }

    private static CredentialResolution found(S3Credentials credentials, List<String> warnings) {
        return new CredentialResolution(Optional.of(credentials), S3CredentialSource.staticKeys(credentials.source()),
                warnings);
    }

    private static Optional<S3Credentials> envPair(Map<String, String> env, String accessName, String secretName,
            Optional<String> token, List<String> warnings) {
        Optional<String> access = set(env, accessName);
        Optional<String> secret = set(env, secretName);
        if (access.isPresent() && secret.isPresent()) {
            return Optional.of(new S3Credentials(access.get(), secret.get(), token,
                    "env " + accessName + "/" + secretName));
        }
        if (access.isPresent() || secret.isPresent()) {
            String present = access.isPresent() ? accessName : secretName;
            String missing = access.isPresent() ? secretName : accessName;
            warnings.add(present + " is set but " + missing + " is not; ignoring " + present
                    + " and continuing with the rest of the credential chain");
        }
        return Optional.empty();
    }

    private static Optional<String> set(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }
}
