package io.kache.core.remote.s3;

import io.kache.api.S3Credentials;
import java.util.ArrayList;
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
 *   <li>the default profile ({@code AWS_PROFILE}, else {@code [default]}) from the same files;</li>
 *   <li>nothing: the client's container/instance role provider.</li>
 * </ol>
 * Reads only the given environment map and the files it names. Never fails: unreadable files and
 * half-set pairs become warnings. No secret appears in any message.
 */
public final class S3CredentialChain {

    private static final String KACHE_ACCESS = "KACHE_S3_ACCESS_KEY";
    private static final String KACHE_SECRET = "KACHE_S3_SECRET_KEY";
    private static final String AWS_ACCESS = "AWS_ACCESS_KEY_ID";
    private static final String AWS_SECRET = "AWS_SECRET_ACCESS_KEY";

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
        Optional<String> named = set(env, "KACHE_S3_PROFILE").or(() -> configProfile.filter(p -> !p.isBlank()));
        if (named.isPresent()) {
            Optional<S3Credentials> profile = files.find(named.get(), true, warnings);
            if (profile.isPresent()) {
                return found(profile.get(), warnings);
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
        String defaultProfile = set(env, "AWS_PROFILE").orElse("default");
        Optional<S3Credentials> fallback = files.find(defaultProfile, false, warnings);
        if (fallback.isPresent()) {
            return found(fallback.get(), warnings);
        }
        return new CredentialResolution(Optional.empty(), CredentialResolution.INSTANCE_ROLE_SOURCE, warnings);
    }

    private static CredentialResolution found(S3Credentials credentials, List<String> warnings) {
        return new CredentialResolution(Optional.of(credentials), credentials.source(), warnings);
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
