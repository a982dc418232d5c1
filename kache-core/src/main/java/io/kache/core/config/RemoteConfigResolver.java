package io.kache.core.config;

import static io.kache.core.config.ConfigKey.REMOTE_ACCESS_KEY;
import static io.kache.core.config.ConfigKey.REMOTE_BUCKET;
import static io.kache.core.config.ConfigKey.REMOTE_CLIENT;
import static io.kache.core.config.ConfigKey.REMOTE_ENDPOINT;
import static io.kache.core.config.ConfigKey.REMOTE_PATH;
import static io.kache.core.config.ConfigKey.REMOTE_PREFIX;
import static io.kache.core.config.ConfigKey.REMOTE_PROFILE;
import static io.kache.core.config.ConfigKey.REMOTE_REGION;
import static io.kache.core.config.ConfigKey.REMOTE_SECRET_KEY;
import static io.kache.core.config.ConfigKey.REMOTE_TIMEOUT;
import static io.kache.core.config.ConfigKey.REMOTE_TYPE;

import io.kache.api.ArtifactLayout;
import io.kache.api.RemoteSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Resolves {@code [cache.remote]}: which type of remote, if any, and its settings.
 *
 * <p>The type is the file's {@code type}; without one, a bucket (in the table or in
 * {@code KACHE_S3_BUCKET}) means s3. The {@code KACHE_S3_*} variables apply only to an s3 remote, so
 * a CI-wide bucket variable cannot redirect a project that chose a shared directory.
 *
 * <p>Keys of the table kache does not know are options for a custom backend. The built-in types
 * take none, so there such a key is a misspelling ({@code regoin}) and an error: silently ignored, it
 * would leave {@code us-east-1} in place. The SPI cannot say which options a custom provider reads,
 * so for custom types they are all passed on.
 */
final class RemoteConfigResolver {

    /**
     * The S3 clients kache ships (the ids of kache-s3-aws's and kache-s3-minio's providers, which
     * kache-core cannot depend on): they read no option of their own, so a key they do not know is a
     * misspelling.
     */
    private static final Set<String> BUILT_IN_S3_CLIENTS = Set.of("s3-aws", "s3-minio");


    static final String S3 = "s3";
    static final String FILESYSTEM = "filesystem";

    private static final List<ConfigKey> S3_ONLY = List.of(REMOTE_BUCKET, REMOTE_REGION, REMOTE_ENDPOINT, REMOTE_PROFILE);
    private static final List<ConfigKey> FILESYSTEM_ONLY = List.of(REMOTE_PATH);

    private final LayeredValues layers;
    private final Optional<ConfigFileValues> file;
    private final ConfigValues.Parser<Path> paths;
    private final Supplier<Set<String>> providerTypes;

    RemoteConfigResolver(LayeredValues layers, Optional<ConfigFileValues> file, ConfigValues.Parser<Path> paths,
                         Supplier<Set<String>> providerTypes) {
        this.layers = layers;
        this.file = file;
        this.paths = paths;
        this.providerTypes = providerTypes;
    }

    Optional<RemoteConfig> resolve() {
        Optional<RawValue> typeValue = layers.fileValue(REMOTE_TYPE);
        Optional<ConfigOrigin> table = file.flatMap(ConfigFileValues::remoteTable);
        String type;
        ConfigOrigin typeOrigin;
        if (typeValue.isPresent()) {
            type = ConfigValues.type(REMOTE_TYPE, typeValue.get());
            typeOrigin = typeValue.get().origin();
            checkKnown(type, typeOrigin);
        } else {
            Optional<RawValue> bucket = layers.raw(REMOTE_BUCKET, true);
            if (bucket.isPresent()) {
                type = S3;
                typeOrigin = bucket.get().origin();
            } else if (table.isPresent()) {
                throw new ConfigException(REMOTE_TYPE.key(), table.get(), "is missing; allowed: type = \"s3\" (with a"
                        + " bucket), type = \"filesystem\" (with a path), or the type of an installed storage provider");
            } else {
                return Optional.empty();
            }
        }
        layers.record(REMOTE_TYPE, typeOrigin);
        boolean s3 = type.equals(S3);
        refuseForeignKeys(type);
        refuseUnknownOptions(type);

        Optional<String> bucket = layers.find(REMOTE_BUCKET, s3, ConfigValues::bucket);
        if (s3 && bucket.isEmpty()) {
            throw new ConfigException(REMOTE_BUCKET.key(), typeOrigin, "remote type s3 needs a bucket; allowed:"
                    + " bucket = \"name\" in [cache.remote], or KACHE_S3_BUCKET");
        }
        Optional<Path> path = layers.find(REMOTE_PATH, false, paths);
        if (type.equals(FILESYSTEM) && path.isEmpty()) {
            throw new ConfigException(REMOTE_PATH.key(), typeOrigin, "remote type filesystem needs a path; allowed:"
                    + " path = \"/shared/dir\" in [cache.remote]");
        }
        return Optional.of(new RemoteConfig(
                type,
                layers.find(REMOTE_CLIENT, s3, ConfigValues::type),
                bucket,
                layers.get(REMOTE_REGION, s3, ConfigValues::region, () -> RemoteSettings.DEFAULT_REGION),
                layers.find(REMOTE_ENDPOINT, s3, ConfigValues::endpoint),
                layers.get(REMOTE_PREFIX, s3, ConfigValues::prefix, () -> ArtifactLayout.DEFAULT_PREFIX),
                layers.find(REMOTE_PROFILE, s3, ConfigValues::nonBlank),
                path,
                layers.get(REMOTE_TIMEOUT, ConfigValues::duration, RemoteSettings.DEFAULT_TIMEOUT),
                layers.find(REMOTE_ACCESS_KEY, s3, ConfigValues::nonBlank).map(Secret::new),
                layers.find(REMOTE_SECRET_KEY, s3, ConfigValues::nonBlank).map(Secret::new),
                options()));
    }

    private Map<String, String> options() {
        Map<String, String> options = new TreeMap<>();
        file.ifPresent(f -> f.options().forEach((k, v) -> options.put(k, String.valueOf(v.value()))));
        return options;
    }

    private void refuseUnknownOptions(String type) {
        if (!type.equals(S3) && !type.equals(FILESYSTEM) || file.isEmpty()) {
            return;
        }
        // Another S3 client (client = "its-id") takes options kache cannot know: only its provider does.
        Optional<String> client = layers.find(REMOTE_CLIENT, true, ConfigValues::type);
        if (type.equals(S3) && client.isPresent() && !BUILT_IN_S3_CLIENTS.contains(client.get())) {
            return;
        }
        List<ConfigKey> foreign = type.equals(S3) ? FILESYSTEM_ONLY : S3_ONLY;
        Set<String> allowed = new TreeSet<>();
        for (ConfigKey k : ConfigKey.values()) {
            if (k.inFile() && k.inRemoteTable() && !foreign.contains(k)) {
                allowed.add(k.tableKey());
            }
        }
        // The first in name order, so the same key is reported on every run.
        Optional<Map.Entry<String, RawValue>> unknown = file.get().options().entrySet().stream()
                .min(Map.Entry.comparingByKey());
        if (unknown.isPresent()) {
            String name = unknown.get().getKey();
            throw new ConfigException("cache.remote." + name, unknown.get().getValue().origin(), "unknown key"
                    + Spelling.didYouMean(name, allowed) + " for remote type " + type + "; allowed: "
                    + String.join(", ", allowed) + (type.equals(S3) ? ", or the options of another S3 client chosen"
                    + " with client = \"its id\"" : ""));
        }
    }

    private void refuseForeignKeys(String type) {
        List<ConfigKey> foreign = type.equals(FILESYSTEM) ? S3_ONLY : type.equals(S3) ? FILESYSTEM_ONLY : List.of();
        for (ConfigKey key : foreign) {
            Optional<RawValue> v = layers.fileValue(key);
            if (v.isPresent()) {
                throw new ConfigException(key.key(), v.get().origin(), "does not apply to remote type " + type
                        + "; allowed: remove it, or choose the type it belongs to");
            }
        }
    }

    private void checkKnown(String type, ConfigOrigin origin) {
        if (type.equals(S3) || type.equals(FILESYSTEM)) {
            return;
        }
        // Only an unusual type pays for provider discovery; s3 and filesystem are always known.
        Set<String> known = new TreeSet<>(providerTypes.get());
        if (!known.contains(type)) {
            known.add(S3);
            known.add(FILESYSTEM);
            throw new ConfigException(REMOTE_TYPE.key(), origin, "unknown remote type '" + type + "'; allowed: "
                    + String.join(", ", known));
        }
    }
}
