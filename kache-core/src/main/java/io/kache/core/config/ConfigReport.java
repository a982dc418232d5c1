package io.kache.core.config;

import static io.kache.core.config.ConfigKey.*;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The effective configuration as a list of entries for {@code kache config}: every key that
 * applies, its value and its source. Credentials show only whether they are set.
 */
public final class ConfigReport {

    /** What a set secret shows. */
    public static final String SET = "(set)";
    /** What an unset optional value shows. */
    public static final String NOT_SET = "(not set)";
    /** The entry {@code kache config} adds for the provider that would serve the remote. */
    public static final String PROVIDER = "cache.remote.provider";
    /** The entry {@code kache config} adds for where S3 credentials come from. */
    public static final String CREDENTIALS = "cache.remote.credentials";

    private final KacheConfig config;
    private final List<ConfigEntry> entries = new ArrayList<>();

    private ConfigReport(KacheConfig config) {
        this.config = config;
    }

    /** The entries of {@code config}, in file order: {@code [cache]} first, then {@code [cache.remote]}. */
    public static List<ConfigEntry> entries(KacheConfig config) {
        return new ConfigReport(config).build();
    }

    private List<ConfigEntry> build() {
        add(CONFIG_FILE, config.file().map(Path::toString).orElse("(none)"));
        add(LOCAL_STORE, config.localStore().toString());
        entries.add(new ConfigEntry(LOCAL_MAX_SIZE.key(), ByteSize.format(config.localMaxSize()) + " ("
                + config.localMaxSize() + " bytes)", config.origin(LOCAL_MAX_SIZE).source(),
                Optional.of(config.localMaxSize())));
        add(COMPRESSION_LEVEL, Integer.toString(config.compressionLevel()));
        add(S3_CONCURRENCY, Integer.toString(config.s3Concurrency()));
        add(REMOTE_READONLY, Boolean.toString(config.remoteReadonly()));
        add(LOCAL_ONLY, Boolean.toString(config.localOnly()));
        add(DISABLED, Boolean.toString(config.disabled()));
        add(KEY_SALT, config.keySalt().isEmpty() ? "(empty)" : config.keySalt());
        add(REMOTE_DEADLINE, format(config.remoteDeadline()));
        add(KEY_ENV_VARS, config.keyEnvVars().rules().isEmpty() ? "(none)" : config.keyEnvVars().toString());
        add(BYPASS_CRATES, config.bypassCrates().patterns().isEmpty() ? "(none)" : config.bypassCrates().toString());
        if (config.remote().isEmpty()) {
            entries.add(new ConfigEntry("cache.remote", "(none)", ConfigOrigin.DEFAULT.source()));
            return List.copyOf(entries);
        }
        RemoteConfig remote = config.remote().get();
        add(REMOTE_TYPE, remote.type());
        add(REMOTE_CLIENT, remote.client().orElse("(by priority)"));
        boolean s3 = remote.type().equals(RemoteConfigResolver.S3);
        boolean filesystem = remote.type().equals(RemoteConfigResolver.FILESYSTEM);
        if (!filesystem) {
            add(REMOTE_BUCKET, shown(remote.bucket()));
            add(REMOTE_REGION, remote.region());
            add(REMOTE_ENDPOINT, shown(remote.endpoint().map(Object::toString)));
            add(REMOTE_PROFILE, shown(remote.profile()));
        }
        if (!s3) {
            add(REMOTE_PATH, shown(remote.path().map(Path::toString)));
        }
        add(REMOTE_PREFIX, remote.prefix());
        add(REMOTE_TIMEOUT, format(remote.timeout()));
        if (s3) {
            add(REMOTE_ACCESS_KEY, remote.accessKey().isPresent() ? SET : NOT_SET);
            add(REMOTE_SECRET_KEY, remote.secretKey().isPresent() ? SET : NOT_SET);
        }
        String file = config.file().map(Path::toString).orElse(ConfigOrigin.DEFAULT.source());
        remote.maskedOptions().forEach((k, v) -> entries.add(new ConfigEntry("cache.remote." + k, v, file)));
        return List.copyOf(entries);
    }

    private void add(ConfigKey key, String value) {
        entries.add(new ConfigEntry(key.key(), value, config.origin(key).source()));
    }

    private static String shown(Optional<String> value) {
        return value.orElse(NOT_SET);
    }

    /** A duration as the config would spell it ({@link DurationValue#format}). */
    static String format(Duration d) {
        return DurationValue.format(d);
    }
}
