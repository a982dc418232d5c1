package io.kache.core.config;

import static io.kache.core.config.ConfigKey.BYPASS_CRATES;
import static io.kache.core.config.ConfigKey.COMPRESSION_LEVEL;
import static io.kache.core.config.ConfigKey.CONFIG_FILE;
import static io.kache.core.config.ConfigKey.DISABLED;
import static io.kache.core.config.ConfigKey.KEY_ENV_VARS;
import static io.kache.core.config.ConfigKey.KEY_SALT;
import static io.kache.core.config.ConfigKey.LOCAL_MAX_SIZE;
import static io.kache.core.config.ConfigKey.LOCAL_ONLY;
import static io.kache.core.config.ConfigKey.LOCAL_STORE;
import static io.kache.core.config.ConfigKey.REMOTE_DEADLINE;
import static io.kache.core.config.ConfigKey.REMOTE_READONLY;
import static io.kache.core.config.ConfigKey.S3_CONCURRENCY;

import io.kache.api.ArtifactStoreProvider;
import io.kache.api.StoreProviders;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Resolves kache's configuration for one call. Precedence, strongest first: environment variables,
 * then the one config file found (see {@link #load}), then defaults.
 *
 * <p>Runs on every rustc call of a build, so without a config file it does a few {@code stat}s and
 * reads the environment map, and never loads the TOML parser; a config file is parsed once per
 * version in a JVM ({@link ParsedConfigFiles}).
 */
public final class ConfigLoader {

    private final Map<String, String> env;
    private final Path cwd;
    private final List<Path> projectSearch;
    private final Supplier<Set<String>> providerTypes;
    private final ParsedConfigFiles files;

    ConfigLoader(Map<String, String> env, Path cwd, Supplier<Set<String>> providerTypes) {
        this(env, cwd, List.of(cwd), providerTypes, ParsedConfigFiles.shared());
    }

    /** @param files where parsed config files are kept: this JVM's ({@link ParsedConfigFiles#shared}) but in tests */
    ConfigLoader(Map<String, String> env, Path cwd, Supplier<Set<String>> providerTypes, ParsedConfigFiles files) {
        this(env, cwd, List.of(cwd), providerTypes, files);
    }

    /** @param projectSearch where the search for {@code .kache.toml} starts, in order (see {@link #load(Map, Path, List)}) */
    ConfigLoader(Map<String, String> env, Path cwd, List<Path> projectSearch,
                         Supplier<Set<String>> providerTypes, ParsedConfigFiles files) {
        this.env = Objects.requireNonNull(env, "env");
        this.cwd = Objects.requireNonNull(cwd, "cwd");
        this.projectSearch = List.copyOf(projectSearch);
        this.providerTypes = providerTypes;
        this.files = Objects.requireNonNull(files, "files");
        if (!cwd.isAbsolute()) {
            throw new IllegalArgumentException("cwd must be absolute: " + cwd);
        }
        for (Path start : this.projectSearch) {
            if (!start.isAbsolute()) {
                throw new IllegalArgumentException("the project search must start from absolute directories: " + start);
            }
        }
    }

    /**
     * Loads the configuration of a call with environment {@code env} in directory {@code cwd}.
     *
     * <p>The file is {@code KACHE_CONFIG} if set, else the nearest {@code .kache.toml} in
     * {@code cwd} or above, else {@code $XDG_CONFIG_HOME/kache/config.toml} (default
     * {@code ~/.config/kache/config.toml}); only one file is read.
     *
     * @param env the call's environment; empty values count as unset
     * @param cwd the call's absolute working directory
     * @throws ConfigException naming key, origin and allowed values when anything is invalid:
     *     an unknown key, a value out of range, a TOML syntax error, a missing {@code KACHE_CONFIG} file
     */
    public static KacheConfig load(Map<String, String> env, Path cwd) {
        return new ConfigLoader(env, cwd, ConfigLoader::installedProviderTypes).load();
    }

    /**
     * {@link #load(Map, Path)} for a call whose project file belongs to another directory than its
     * own: a rustc call of a package outside the workspace, which cargo runs in that package's
     * directory. The nearest {@code .kache.toml} is searched from each directory of
     * {@code projectSearch} in turn, the first found wins; {@code KACHE_CONFIG} still comes first and
     * the user config last, and {@code cwd} still makes relative values of the environment absolute.
     *
     * @param projectSearch absolute directories, the build's first
     */
    public static KacheConfig load(Map<String, String> env, Path cwd, List<Path> projectSearch) {
        return new ConfigLoader(env, cwd, projectSearch, ConfigLoader::installedProviderTypes,
                ParsedConfigFiles.shared()).load();
    }

    KacheConfig load() {
        UserDirs dirs = new UserDirs(env);
        Optional<ConfigFileLocator.Located> located = ConfigFileLocator.locate(env, cwd, projectSearch, dirs);
        // Parsed once per file version in a JVM that takes many calls (the kache server).
        Optional<ConfigFileValues> file = located.map(l -> files.read(l.file()));
        LayeredValues layers = new LayeredValues(env, file);
        located.ifPresent(l -> layers.record(CONFIG_FILE, l.origin()));
        ConfigValues.Parser<Path> paths = ConfigValues.path(dirs, cwd);

        Path localStore = layers.get(LOCAL_STORE, true, paths, () -> defaultLocalStore(dirs));
        long maxSize = layers.get(LOCAL_MAX_SIZE, ConfigValues::size, KacheConfig.DEFAULT_LOCAL_MAX_SIZE);
        int level = layers.get(COMPRESSION_LEVEL, ConfigValues.integer(KacheConfig.MIN_COMPRESSION_LEVEL,
                KacheConfig.MAX_COMPRESSION_LEVEL), KacheConfig.DEFAULT_COMPRESSION_LEVEL);
        int concurrency = layers.get(S3_CONCURRENCY, ConfigValues.integer(1, KacheConfig.MAX_S3_CONCURRENCY),
                KacheConfig.DEFAULT_S3_CONCURRENCY);
        boolean readonly = layers.get(REMOTE_READONLY, ConfigValues::bool, false);
        boolean localOnly = layers.get(LOCAL_ONLY, ConfigValues::bool, false);
        boolean disabled = layers.get(DISABLED, ConfigValues::bool, false);
        String salt = layers.get(KEY_SALT, ConfigValues::string, "");
        var deadline = layers.get(REMOTE_DEADLINE, ConfigValues::duration, KacheConfig.DEFAULT_REMOTE_DEADLINE);
        KeyEnvVars keyEnvVars = layers.get(KEY_ENV_VARS, ConfigValues::keyEnvVars, KeyEnvVars.NONE);
        CratePatterns bypass = layers.get(BYPASS_CRATES, ConfigValues::crates, CratePatterns.NONE);
        Optional<RemoteConfig> remote = new RemoteConfigResolver(layers, file, paths, providerTypes).resolve();

        return new KacheConfig(localStore, maxSize, level, concurrency, readonly, localOnly, disabled, salt,
                deadline, keyEnvVars, bypass, remote, located.map(ConfigFileLocator.Located::file), layers.origins());
    }

    private static Path defaultLocalStore(UserDirs dirs) {
        return dirs.cacheHome().map(h -> h.resolve("kache")).orElseThrow(() -> new ConfigException(
                LOCAL_STORE.key(), ConfigOrigin.DEFAULT, "neither XDG_CACHE_HOME nor HOME is set to an absolute"
                + " path; allowed: set KACHE_CACHE_DIR or [cache] local_store"));
    }

    private static Set<String> installedProviderTypes() {
        return StoreProviders.discover(ConfigLoader.class.getClassLoader()).all().stream()
                .map(ArtifactStoreProvider::type)
                .collect(Collectors.toSet());
    }
}
