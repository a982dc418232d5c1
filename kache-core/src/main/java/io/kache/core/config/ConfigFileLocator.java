package io.kache.core.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the one config file a call uses: {@code KACHE_CONFIG} if set (it must exist), else the
 * nearest {@code .kache.toml} in the project search's first directory or above, else in its next
 * one (a call's project search is its working directory alone but for a rustc call of a package
 * outside its workspace), else {@code $XDG_CONFIG_HOME/kache/config.toml} (by default
 * {@code ~/.config/kache/config.toml}). Files are never merged: the first one found is the whole
 * file layer.
 *
 * <p>Runs on every rustc call, so it only stats: one {@code stat} per directory level, each
 * directory once.
 */
final class ConfigFileLocator {

    static final String PROJECT_FILE = ".kache.toml";
    static final String ENV = "KACHE_CONFIG";

    private ConfigFileLocator() {
    }

    /** Where the file was found and how, for {@code kache config}. */
    record Located(Path file, ConfigOrigin origin) {
    }

    /** The search's origin: no variable chose the file. */
    static final ConfigOrigin SEARCH = new ConfigOrigin(ConfigOrigin.Kind.DEFAULT, "search", 0);

    /**
     * @param cwd the call's working directory: a relative {@code KACHE_CONFIG} is taken from it
     * @param projectSearch the absolute directories the search for {@code .kache.toml} starts from, in order
     */
    static Optional<Located> locate(Map<String, String> env, Path cwd, List<Path> projectSearch, UserDirs dirs) {
        String explicit = env.get(ENV);
        if (explicit != null && !explicit.isEmpty()) {
            ConfigOrigin origin = ConfigOrigin.env(ENV);
            Path file;
            try {
                file = dirs.resolve(explicit, cwd);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(ENV, origin, e.getMessage());
            }
            if (!Files.isRegularFile(file)) {
                throw new ConfigException(ENV, origin, "'" + file + "' does not exist or is not a file;"
                        + " allowed: the path of a TOML config file, or unset " + ENV + " to search for "
                        + PROJECT_FILE);
            }
            return Optional.of(new Located(file, origin));
        }
        // The searches of several starts meet at their common ancestors: each directory is asked once.
        var searched = new HashSet<Path>();
        for (Path start : projectSearch) {
            for (Path dir = start; dir != null && searched.add(dir); dir = dir.getParent()) {
                Path candidate = dir.resolve(PROJECT_FILE);
                if (Files.isRegularFile(candidate)) {
                    return Optional.of(new Located(candidate, SEARCH));
                }
            }
        }
        return dirs.configHome()
                .map(home -> home.resolve("kache").resolve("config.toml"))
                .filter(Files::isRegularFile)
                .map(file -> new Located(file, SEARCH));
    }
}
