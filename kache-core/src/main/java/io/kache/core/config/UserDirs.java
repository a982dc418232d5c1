package io.kache.core.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The XDG base-directory rules and {@code ~} expansion, read from a call's environment rather than
 * from the JVM's, so one JVM can serve calls with different environments.
 */
final class UserDirs {

    private final Map<String, String> env;

    UserDirs(Map<String, String> env) {
        this.env = env;
    }

    Optional<Path> home() {
        return absolute("HOME");
    }

    /** {@code $XDG_CONFIG_HOME}, else {@code $HOME/.config}. */
    Optional<Path> configHome() {
        return absolute("XDG_CONFIG_HOME").or(() -> home().map(h -> h.resolve(".config")));
    }

    /** {@code $XDG_CACHE_HOME}, else {@code $HOME/.cache}. */
    Optional<Path> cacheHome() {
        return absolute("XDG_CACHE_HOME").or(() -> home().map(h -> h.resolve(".cache")));
    }

    /**
     * Turns {@code text} into an absolute path: {@code ~} and {@code ~/x} name the home directory,
     * other relative paths are taken from {@code base}.
     *
     * @throws IllegalArgumentException if {@code text} starts with {@code ~} and HOME is not set
     */
    Path resolve(String text, Path base) {
        if (text.equals("~") || text.startsWith("~/")) {
            Path home = home().orElseThrow(() -> new IllegalArgumentException(
                    "'" + text + "' starts with '~' but HOME is not set; use an absolute path"));
            return text.length() <= 2 ? home : home.resolve(text.substring(2)).normalize();
        }
        return base.resolve(text).normalize();
    }

    // The XDG spec says relative values are invalid and must be ignored.
    private Optional<Path> absolute(String variable) {
        String v = env.get(variable);
        if (v == null || v.isEmpty()) {
            return Optional.empty();
        }
        Path p = Path.of(v);
        return p.isAbsolute() ? Optional.of(p) : Optional.empty();
    }
}
